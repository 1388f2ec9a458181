#!/usr/bin/env python3
"""b_ide - the ide benchmark for tests/bench.py: t_ide.py --bench."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.argv.append("--bench")
import t_ide  # noqa: E402

sys.exit(t_ide.main())
