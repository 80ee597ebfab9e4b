// Runs every method of the npm mailpit-api client (except tags and release) against a running MailSink and
// prints one line "RESULT <json>": for each step either {ok: <what it returned, trimmed>} or {error: <message>}.
// Usage: node mailpit-api.mjs <base URL>
import { MailpitClient } from "mailpit-api";

const mailpit = new MailpitClient(process.argv[2]);
const png = "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR42mP8z8DAwMDAxMDAwMDAAAANHQEDK+mmyAAAAABJRU5ErkJggg==";
const results = {};

async function step(name, run) {
  try {
    results[name] = { ok: await run() };
  } catch (err) {
    results[name] = { error: err instanceof Error ? err.message : String(err) };
  }
}

const blob = async (b) => ({ type: b.type, size: b.size, head: [...new Uint8Array(await b.arrayBuffer()).slice(0, 3)] });

await step("deleteMessages(all)", () => mailpit.deleteMessages());
await step("getInfo", async () => { const i = await mailpit.getInfo(); return { Version: i.Version, Messages: i.Messages, LatestVersion: i.LatestVersion }; });
await step("getConfiguration", async () => { const c = await mailpit.getConfiguration(); return { ChaosEnabled: c.ChaosEnabled, SpamAssassin: c.SpamAssassin }; });
await step("sendMessage", () => mailpit.sendMessage({
  From: { Email: "node@example.test", Name: "Node" },
  To: [{ Email: "jane@example.test", Name: "Jane" }],
  Subject: "mailpit-api one",
  Text: "Hello from mailpit-api, see https://example.test/a",
  HTML: '<p>Hello <b>HTML</b> <a href="https://example.test/a">a</a><img src="cid:dot"></p>',
  Attachments: [
    { Content: Buffer.from("report body").toString("base64"), Filename: "report.txt", ContentType: "text/plain" },
    { Content: png, Filename: "dot.png", ContentType: "image/png", ContentID: "dot" },
  ],
  Tags: ["node"],
}));
const id = results.sendMessage.ok?.ID;
await step("sendMessage(second)", () => mailpit.sendMessage({ From: { Email: "node@example.test" }, To: [{ Email: "bob@example.test" }], Subject: "mailpit-api two", Text: "second" }));
const id2 = results["sendMessage(second)"].ok?.ID;

await step("waitForMessage", async () => (await mailpit.waitForMessage({ query: "subject:\"mailpit-api one\"" })).ID);
await step("waitForMessages", async () => (await mailpit.waitForMessages({ count: 2 }, { timeout: 5000 })).messages_count);
await step("listMessages", async () => { const l = await mailpit.listMessages(); return { total: l.total, unread: l.unread, subjects: l.messages.map((m) => m.Subject) }; });
await step("getMessageSummary", async () => { const m = await mailpit.getMessageSummary(id); return { ID: m.ID, Subject: m.Subject, From: m.From.Address, Attachments: m.Attachments.map((a) => a.FileName), Inline: m.Inline.map((a) => [a.ContentID, a.PartID]), Read: m.Read, Text: m.Text }; });
const inline = results.getMessageSummary.ok?.Inline?.[0]?.[1];
await step("getMessageSummary(latest)", async () => (await mailpit.getMessageSummary()).ID);
await step("getMessageHeaders", async () => (await mailpit.getMessageHeaders(id)).Subject);
await step("getMessageAttachment", async () => blob(await mailpit.getMessageAttachment(id, inline)));
await step("getAttachmentThumbnail", async () => blob(await mailpit.getAttachmentThumbnail(id, inline)));
await step("getMessageSource", async () => (await mailpit.getMessageSource(id)).includes("Subject: mailpit-api one"));
await step("setReadStatus", () => mailpit.setReadStatus({ IDs: [id], Read: false }));
await step("listMessages(after setReadStatus)", async () => (await mailpit.listMessages()).messages.find((m) => m.ID === id).Read);
await step("searchMessages", async () => { const s = await mailpit.searchMessages({ query: "subject:\"mailpit-api two\"" }); return { count: s.messages_count, ids: s.messages.map((m) => m.ID) }; });
await step("htmlCheck", async () => { const h = await mailpit.htmlCheck(id); return { Nodes: h.Total.Nodes, Tests: h.Total.Tests, Warnings: h.Warnings.map((w) => w.Slug), Platforms: Object.keys(h.Platforms).sort() }; });
await step("linkCheck", async () => { const l = await mailpit.linkCheck(id); return { Errors: l.Errors, Links: l.Links.map((x) => x.URL) }; });
await step("spamAssassinCheck", async () => { const s = await mailpit.spamAssassinCheck(id); return { Error: s.Error, Score: s.Score, Rules: s.Rules.map((r) => r.Name) }; });
await step("getChaosTriggers", async () => Object.keys(await mailpit.getChaosTriggers()).sort());
await step("setChaosTriggers", async () => (await mailpit.setChaosTriggers({ Sender: { ErrorCode: 451, Probability: 0 } })).Sender);
await step("setChaosTriggers(reset)", async () => (await mailpit.setChaosTriggers()).Sender);
await step("renderMessageHTML", () => mailpit.renderMessageHTML(id));
await step("renderMessageText", () => mailpit.renderMessageText(id));
await step("deleteMessagesBySearch", () => mailpit.deleteMessagesBySearch({ query: "subject:\"mailpit-api two\"" }));
await step("listMessages(after search delete)", async () => (await mailpit.listMessages()).messages.map((m) => m.ID));
await step("deleteMessages(ids)", () => mailpit.deleteMessages({ IDs: [id] }));
await step("listMessages(after delete)", async () => (await mailpit.listMessages()).messages_count);

results.ids = { id, id2 };
console.log("RESULT " + JSON.stringify(results));
