// Sends one message with nodemailer, the way an app's development settings do, and prints the server's
// final reply. Usage: node send.mjs '<transport options as JSON>' '<subject>'
// Exit 0 with the reply on stdout, or 1 with the error code and message on stderr.
import nodemailer from "nodemailer";

const [options, subject] = [JSON.parse(process.argv[2]), process.argv[3]];
const transport = nodemailer.createTransport(options);
try {
  const info = await transport.sendMail({
    from: "node@example.test",
    to: "target@example.test",
    subject,
    text: "Sent by nodemailer.",
  });
  console.log(info.response);
} catch (err) {
  console.error(`${err.code ?? "ERROR"} ${err.message}`);
  process.exitCode = 1;
}
