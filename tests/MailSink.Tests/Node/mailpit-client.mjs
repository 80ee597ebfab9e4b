// Calls one method of mailpit-api (2.1) against a running server, as a Mailpit user's test would, and prints what
// it returned as JSON on a line starting with "RESULT ".
// Usage: node mailpit-client.mjs <http port> <method> '<arguments as a JSON array>'
// Exit 1 with the client's error on stderr when it rejects (any status but 200, or a body it cannot read).
import { MailpitClient } from "mailpit-api";

const [port, method, args] = [process.argv[2], process.argv[3], JSON.parse(process.argv[4] ?? "[]")];
const mailpit = new MailpitClient(`http://127.0.0.1:${port}`);
try {
  const result = await mailpit[method](...args);
  console.log("RESULT " + JSON.stringify(result ?? null));
} catch (err) {
  console.error(`ERROR ${err.message}`);
  process.exitCode = 1;
}
