// Calls one method of the npm `mailhog` client (4.16) against a running server, as a MailHog user's test would,
// and prints what the client returned as JSON on a line starting with "RESULT ".
// Usage: node mailhog-client.mjs <http port> <method> '<arguments as a JSON array>'
// A message item is printed with the client's own decoded getters (subject, text, html, from, to, attachments).
// A call that resolves with the bare http response (MailHog's empty bodies) prints {"statusCode": N, "body": null}.
// Exit 1 with the error on stderr when the client rejects (for example when a body is not JSON).
import mailhog from "mailhog";

const [port, method, args] = [Number(process.argv[2]), process.argv[3], JSON.parse(process.argv[4] ?? "[]")];
const api = mailhog({ host: "127.0.0.1", port });

const item = (m) => m && {
  ID: m.ID,
  subject: m.subject,
  from: m.from,
  to: m.to,
  cc: m.cc,
  replyTo: m.replyTo,
  text: m.text,
  html: m.html,
  date: m.date?.toISOString?.() ?? null,
  deliveryDate: m.deliveryDate?.toISOString?.() ?? null,
  attachments: m.attachments.map((a) => ({ name: a.name, type: a.type, encoding: a.encoding, content: api.decode(a.Body, a.encoding) })),
  raw: m,
};

const project = (result) => {
  if (result === 0 || result === undefined || result === null) return result ?? null;
  if (typeof result.statusCode === "number") return { statusCode: result.statusCode, body: null };
  if (Array.isArray(result.items)) return { total: result.total, count: result.count, start: result.start, items: result.items.map(item) };
  if (result.ID) return item(result);
  return { body: result };
};

try {
  const result = await api[method](...args);
  console.log("RESULT " + JSON.stringify(project(result)));
} catch (err) {
  console.error(`ERROR ${err.message}`);
  process.exitCode = 1;
}
