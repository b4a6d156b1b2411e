"""Peerpath: implement, run and evaluate peer support."""

__version__ = "0.1.0"
