"""Check: SHACL validation of the graph, the whole-graph checks around it, and its reports."""
