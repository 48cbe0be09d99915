// A posting: what it says, "Express interest" for editors of other clusters, the interests for its own editors
// (accept or decline), following, and the clusters that could answer it (partner search with the posting as seeker).

import { $, categoryLabel, el, fill, gql, me, showError, syntheticBanner, table } from "./common.js";
import { interestTable, kindLabel, statusLabel } from "./posting-common.js";

const POSTING = `query Posting($id: ID!) {
  posting(id: $id) { id kind title text status deadline revision synthetic targetCategories targetCountries publishedAt
    cluster { id name } competences { id name } valueChains { name } ecosystems { name }
    interests { id clusterId message status at cluster { name } } myInterests { id status } following }
}`;
const ANSWERERS = `query Answerers($id: ID!) {
  partnerSearch(input: { seekerId: $id, first: 10 }) { partner { ... on Cluster { id name country { code } } } score explanation { sentences } }
}`;
const INTEREST = `mutation($posting: ID!, $cluster: ID!, $message: String) { expressInterest(postingId: $posting, clusterId: $cluster, message: $message) { id status } }`;
const FOLLOW = `mutation($id: ID!, $follow: Boolean!) { followPosting(id: $id, follow: $follow) { following } }`;

function interestForm(posting, account) {
  const others = account.clusters.filter((id) => id !== posting.cluster.id);
  if (!others.length || posting.status !== "PUBLISHED" || posting.myInterests.length) {
    return posting.myInterests.length ? el("p", { id: "interest-sent" }, `Your interest: ${statusLabel(posting.myInterests[0].status)}.`) : null;
  }
  const cluster = el("select", { id: "interest-cluster", name: "cluster" }, others.map((id) => el("option", { value: id }, id)));
  const message = el("textarea", { id: "interest-message", name: "message", rows: 3, maxlength: 2000 });
  const status = el("p", { id: "interest-status", role: "status" });
  const form = el("form", { id: "interest-form", class: "card" },
    el("div", { class: "field" }, el("label", { for: "interest-cluster" }, "As"), cluster),
    el("div", { class: "field" }, el("label", { for: "interest-message" }, "Message (at most 2,000 characters; only this posting's cluster sees it)"), message),
    el("button", { type: "submit" }, "Express interest"), status);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      await gql(INTEREST, { posting: posting.id, cluster: cluster.value, message: message.value || null });
      status.dataset.status = "PENDING";
      status.textContent = "Sent: the posting's cluster will decide.";
      form.querySelector("button").disabled = true;
    } catch (error) {
      status.dataset.status = error.code;
      status.textContent = `${error.message} (${error.code})`;
    }
  });
  return el("section", { "aria-labelledby": "interest-h" }, el("h2", { id: "interest-h" }, "Interested?"), form);
}

async function main() {
  const page = $("page");
  const id = decodeURIComponent(location.pathname.split("/posting/")[1] || "");
  try {
    const [account, data] = await Promise.all([me(), gql(POSTING, { id })]);
    const posting = data.posting;
    syntheticBanner(posting.synthetic);
    $("title").textContent = posting.title;
    document.title = `${posting.title} · clusterkg`;
    const follow = account ? el("button", { type: "button", id: "follow" }, posting.following ? "Stop following" : "Follow (e-mail on changes)") : null;
    follow?.addEventListener("click", async () => {
      const now = (await gql(FOLLOW, { id, follow: !posting.following })).followPosting.following;
      posting.following = now;
      follow.textContent = now ? "Stop following" : "Follow (e-mail on changes)";
      follow.dataset.following = String(now);
    });
    const answerers = posting.status === "PUBLISHED" ? (await gql(ANSWERERS, { id })).partnerSearch : [];
    fill(page,
      el("p", { class: "lead", id: "posting-meta" }, `${kindLabel(posting.kind)} by `, el("a", { href: `/cluster/${encodeURIComponent(posting.cluster.id)}` }, posting.cluster.name),
        ` · ${statusLabel(posting.status)} · open until ${posting.deadline}`),
      el("p", { id: "posting-text", class: "prose" }, posting.text),
      el("dl", { class: "facts" },
        el("dt", {}, "Competences"), el("dd", {}, posting.competences.map((c) => c.name).join(", ")),
        posting.valueChains.length ? [el("dt", {}, "Value chains"), el("dd", {}, posting.valueChains.map((v) => v.name).join(", "))] : null,
        el("dt", {}, "For partners in"), el("dd", {}, posting.targetCategories.length ? posting.targetCategories.map((c) => categoryLabel(c)).join(", ") : "any region category",
          posting.targetCountries.length ? ` (${posting.targetCountries.join(", ")})` : "")),
      follow,
      account ? interestForm(posting, account) : el("p", {}, el("a", { href: `/signin?next=${encodeURIComponent(location.pathname)}` }, "Sign in"), " to express interest."),
      posting.interests ? el("section", { "aria-labelledby": "interests-h" }, el("h2", { id: "interests-h" }, `Interests (${posting.interests.length})`),
        posting.interests.length ? interestTable(posting.interests, () => main()) : el("p", { class: "muted" }, "None yet.")) : null,
      el("section", { "aria-labelledby": "answer-h" }, el("h2", { id: "answer-h" }, "Clusters that could answer this"),
        answerers.length ? table(["cluster", "country", "score", "why"], answerers.map((m) => [
          el("a", { href: `/cluster/${encodeURIComponent(m.partner.id)}` }, m.partner.name), m.partner.country?.code || "", m.score.toFixed(2), m.explanation.sentences.slice(0, 2).join("; ")]),
          { caption: "Ranked by partner search's score, with the posting in place of a profile", numeric: [2] })
          : el("p", { class: "muted", id: "answer-none" }, posting.status === "PUBLISHED" ? "No cluster offers what it asks for yet." : "It is not open.")));
  } catch (error) {
    showError(page, error);
  }
  document.body.dataset.ready = "true";
}

main();
