// Drives the tag methods of the npm mailpit-api client against a running MailSink and prints what each call
// returned as one JSON object, for Compat/MailpitApiTagsTests.cs to check against the API itself.
// Usage: node mailpit-tags.mjs <base URL> <message ID with X-Tags> <second message ID>
// Exit 0 with the JSON on stdout, or 1 with the client's error on stderr.
import { MailpitClient } from "mailpit-api";

const [baseUrl, tagged, plain] = process.argv.slice(2);
const mailpit = new MailpitClient(baseUrl);
const ids = (page) => page.messages.map((m) => m.ID).sort();
try {
  const out = {};
  out.initial = await mailpit.getTags();
  out.set = await mailpit.setTags({ IDs: [tagged, plain], Tags: ["Node Set", "shared", "bad#chars"] });
  out.afterSet = await mailpit.getTags();
  out.searchSet = ids(await mailpit.searchMessages({ query: 'tag:"Node Set"' }));
  out.rename = await mailpit.renameTag("Node Set", "Renamed");
  out.afterRename = await mailpit.getTags();
  out.summaryTags = (await mailpit.getMessageSummary(plain)).Tags;
  out.delete = await mailpit.deleteTag("shared");
  out.afterDelete = await mailpit.getTags();
  out.cleared = await mailpit.setTags({ IDs: [plain] });
  out.searchRenamed = ids(await mailpit.searchMessages({ query: "tag:Renamed" }));
  out.searchUntagged = ids(await mailpit.searchMessages({ query: "!is:tagged" }));
  out.infoTags = (await mailpit.getInfo()).Tags;
  console.log(JSON.stringify(out));
} catch (err) {
  console.error(err.message);
  process.exitCode = 1;
}
