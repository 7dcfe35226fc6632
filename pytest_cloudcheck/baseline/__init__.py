"""Ready-made test modules: the landing zone rules, with no test code from the user.

    pytest --pyargs pytest_cloudcheck.baseline --cloudcheck-plan plan.json

One module per rule family (`test_cmk.py`; backups, isolation and topology follow), each test
parametrised by check id so a CI log reads as a list of rules, and a failure lists one finding a
line. Run one family with `--pyargs pytest_cloudcheck.baseline.test_cmk`.
"""
