"""Ready-made tests: the landing zone rules, with no test code from the user.

    pytest --pyargs pytest_cloudcheck.baseline --cloudcheck-plan plan.json

One test per check family in the registry (`checks/registry.py`), parametrised by check id so a CI
log reads as a list of rules (`test_cmk[cmk.storage_account]`, `test_topology[topology.subnet_nsg]`,
...), and a failure lists one finding a line. Run one family with `-k test_cmk`.
"""
