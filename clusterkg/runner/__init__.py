"""Background jobs: any of the three organisers' jobs run on a worker thread, its state and files kept in the data dir.

It imports events/, exchanges/ and consortium/ (it runs each) and the floors
below them; graphql/, web/ and cli/ queue and show jobs through it, and it
never imports them.
"""
