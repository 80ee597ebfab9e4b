// Calls mailpit-api's (2.1) releaseMessage(id, to) against a running server and prints what it returned on a
// line starting with "RESULT ". Usage: node mailpit-release.mjs <http port> <id> '<recipients as a JSON array>'
// Exit 1 with the client's error on stderr when it rejects (any status but 200).
import { MailpitClient } from "mailpit-api";

const [port, id, to] = [process.argv[2], process.argv[3], JSON.parse(process.argv[4])];
const mailpit = new MailpitClient(`http://127.0.0.1:${port}`);
try {
  const result = await mailpit.releaseMessage(id, { To: to });
  console.log("RESULT " + JSON.stringify(result));
} catch (err) {
  console.error(`ERROR ${err.message}`);
  process.exitCode = 1;
}
