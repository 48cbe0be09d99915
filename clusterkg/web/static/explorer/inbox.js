// The inbox: interests in the postings of the clusters you edit, newest first, to accept or decline.

import { $, el, fill, gql, me, showError } from "./common.js";
import { interestTable } from "./posting-common.js";

const INBOX = `{ inbox { id postingId postingTitle clusterId message status at cluster { name } } }`;

async function main() {
  const page = $("page");
  try {
    const account = await me();
    if (!account) {
      fill(page, el("p", { id: "inbox-signin" }, el("a", { href: "/signin?next=/inbox" }, "Sign in"), " to see the interests in your postings."));
    } else {
      const interests = (await gql(INBOX)).inbox;
      fill(page, el("p", { class: "lead" }, "Who is interested in your clusters' postings. Accepting connects the two clusters; only you and they see an interest."),
        interests.length ? interestTable(interests, () => main()) : el("p", { class: "muted", id: "inbox-empty" }, "No interest yet."));
    }
  } catch (error) {
    showError(page, error);
  }
  document.body.dataset.ready = "true";
}

main();
