"""Helpers shared by the tests (and the benchmarks): a real hub, a fault proxy, small catalogues, …

Import them as ``tests.support.<module>``; pytest (``--import-mode=importlib``) makes the ``tests``
package importable, and scripts run in a child process put the repository root on ``sys.path``.
"""
