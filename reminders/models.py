# The reminder policy and the delivery ledger live here.
