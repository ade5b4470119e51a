"""Decides *when* scans run (APScheduler 3.x, Asia/Bangkok); never *how*.

Empty until the province-scale issue: scans are started by the CLI for now.
"""
