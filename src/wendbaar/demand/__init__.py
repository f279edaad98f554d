"""Employers' learning demand, pooling into viable groups, demand-offering matching, gaps."""
