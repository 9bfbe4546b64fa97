"""`make bench`: measured workloads, each against an anchor measured in the same run."""
