"""Who hears of what, queued as e-mails in the outbox (clusterkg.notify) after the write they tell of commits.

- a new interest: the posting cluster's editors;
- an interest accepted or declined: the interested cluster's editors;
- a posting updated, closed, renewed or expired: the accounts that follow it;
- a new published posting: the accounts with a saved search it matches.

Each message's key names the event and the recipient, so an event told again
(a retried request, the start-up sweep after a crash) mails no one twice.
Queueing is a local SQLite insert: the request never waits for a mail server.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from clusterkg.accounts.store import AccountStore
from clusterkg.errors import NotFound
from clusterkg.graph.store import GraphStore
from clusterkg.notify.outbox import Message, Outbox
from clusterkg.postings.private import InterestRecord, PrivateStore
from clusterkg.postings.records import PostingRecord
from clusterkg.postings.search import PostingFilter, matches

log = logging.getLogger("clusterkg.postings")
KIND_WORDS = {"OFFER": "offer", "REQUEST": "request", "RD_REQUEST": "R&D request"}


@dataclass
class Notices:
    accounts: AccountStore
    outbox: Outbox
    private: PrivateStore
    public_url: str = "http://127.0.0.1:8000"
    poke: Callable[[], None] = field(default=lambda: None)  # wakes the courier

    def link(self, posting_id: str) -> str:
        return f"{self.public_url.rstrip('/')}/posting/{posting_id}"

    def _queue(self, messages: Iterable[Message]) -> None:
        queued = list(messages)
        if not queued:
            return
        try:
            self.outbox.enqueue(queued)
        except Exception:  # the write it tells of has committed: a full disk must not turn it into an error
            log.exception("could not queue %d notification(s)", len(queued))
            return
        self.poke()

    def _emails(self, account_ids: Iterable[str]) -> list[str]:
        found = []
        for account_id in account_ids:
            try:
                account = self.accounts.get(account_id)
            except NotFound:
                continue
            if account.active:
                found.append(account.email)
        return found

    def new_interest(self, posting: PostingRecord, interest: InterestRecord, cluster_name: str | None) -> None:
        who = f"{cluster_name or interest.cluster_id} ({interest.cluster_id})"
        body = (
            f'{who} is interested in your {KIND_WORDS[posting.kind]} "{posting.title}".\n\n'
            + (f"Their message:\n{interest.message}\n\n" if interest.message else "")
            + f"Accept or decline it in your inbox: {self.public_url.rstrip('/')}/inbox\n"
            f"The posting: {self.link(posting.id)}\n"
        )
        self._queue(
            Message(f"interest:{interest.id}:{a.email}", a.email, f'New interest in "{posting.title}"', body)
            for a in self.accounts.editors_of(posting.cluster_id)
        )

    def decided(self, posting: PostingRecord, interest: InterestRecord) -> None:
        verb = "accepted" if interest.status == "ACCEPTED" else "declined"
        body = (
            f"{posting.cluster_name or posting.cluster_id} {verb} the interest of {interest.cluster_id} in "
            f'"{posting.title}".\n'
            + (f"Their reason: {interest.reason}\n" if interest.reason else "")
            + (
                "The two clusters are now connected: reply to the posting's contact to go on.\n"
                if verb == "accepted"
                else ""
            )
            + f"The posting: {self.link(posting.id)}\n"
        )
        self._queue(
            Message(f"decided:{interest.id}:{a.email}", a.email, f'Your interest in "{posting.title}" was {verb}', body)
            for a in self.accounts.editors_of(interest.cluster_id)
        )

    def posting_changed(self, posting: PostingRecord, what: str) -> None:
        body = f'The {KIND_WORDS[posting.kind]} "{posting.title}" you follow {what}.\n{self.link(posting.id)}\n'
        key = f"changed:{posting.id}:{posting.revision}"
        self._queue(
            Message(f"{key}:{email}", email, f'"{posting.title}" {what}', body)
            for email in self._emails(self.private.followers(posting.id))
        )

    def new_posting(self, store: GraphStore, posting: PostingRecord, day: dt.date) -> None:
        """Tell every account whose saved search the new posting matches (its own cluster's editors aside)."""
        messages = []
        for search in self.private.saved_searches():
            try:
                found = matches(store, PostingFilter.from_json(search.filter), posting.id, day)
            except Exception:  # one broken saved search must not keep the others from hearing
                log.exception("saved search %s could not be run", search.id)
                continue
            if not found:
                continue
            for email in self._emails([search.account_id]):
                messages.append(
                    Message(
                        f"search:{search.id}:{posting.id}",
                        email,
                        f'New {KIND_WORDS[posting.kind]} for "{search.name}": {posting.title}',
                        f"{posting.cluster_name or posting.cluster_id} posted a {KIND_WORDS[posting.kind]} that "
                        f'matches your saved search "{search.name}":\n\n{posting.title}\n'
                        f"Deadline: {posting.deadline}\n{self.link(posting.id)}\n",
                    )
                )
        self._queue(messages)
