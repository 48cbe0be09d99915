"""Notifications: an outbox of e-mails in the data dir, and the courier that delivers it over SMTP.

`outbox` keeps every message in SQLite (<data dir>/outbox.sqlite3) the moment
a request decides to send it, so a request never waits for a mail server and
a crash loses nothing queued; `smtp` reads the SMTP settings and delivers due
messages with aiosmtplib, retrying a failed send later with a growing delay.
With no SMTP server configured the messages stay in the outbox, where
`clusterkg outbox` lists them. It imports nothing of clusterkg but errors and
settings: the postings room (clusterkg.postings) decides who hears of what.
"""
