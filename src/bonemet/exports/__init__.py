"""Export: every format the graph is written in, one module per format family."""
