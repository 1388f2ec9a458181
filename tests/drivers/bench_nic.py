#!/usr/bin/env python3
"""b_nic - the nic benchmark for tests/bench.py: t_nic.py --bench."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.argv.append("--bench")
import t_nic  # noqa: E402

sys.exit(t_nic.main())
