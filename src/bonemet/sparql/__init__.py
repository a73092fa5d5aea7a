"""Ask: the named questions, their parameters, the engines that answer them, and the answers."""
