"""Verifiable elections on Belenios (https://www.belenios.org), through Debian's `belenios-tool` 2.0.

`engine` drives the tool on the server: credentials, the election's public parameters, the box
(an append-only archive of events), checks and the tally; `pipes` hands the tool a voter's code
and ranks without a file. `trustee_kit` is the command a trustee runs on their own machine, with
their private keys, and imports nothing of the project so that it can be downloaded alone. None
of them imports Django.
"""
