"""Show: the graph as a static site to read, one page per resource it names."""
