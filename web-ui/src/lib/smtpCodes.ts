// Meanings of SMTP reply codes (RFC 5321 section 4.2) and enhanced status codes (RFC 3463, RFC 4954,
// the IANA "SMTP Enhanced Status Codes" registry), shown when hovering a server line in a transcript.

const replyCodes: Record<string, string> = {
  '211': 'System status or help reply',
  '214': 'Help message',
  '220': 'Service ready (greeting)',
  '221': 'Service closing the connection (reply to QUIT)',
  '235': 'Authentication succeeded (RFC 4954)',
  '250': 'Requested action okay, completed',
  '251': 'User not local; will forward',
  '252': 'Cannot verify the user, but will accept the message',
  '334': 'Server challenge: continue the AUTH exchange (RFC 4954)',
  '354': 'Start mail input; end with <CRLF>.<CRLF>',
  '421': 'Service not available, closing the connection (temporary)',
  '432': 'A password transition is needed (RFC 4954)',
  '450': 'Mailbox unavailable, e.g. busy or greylisted (temporary)',
  '451': 'Local error in processing; action aborted (temporary)',
  '452': 'Insufficient system storage, or too many recipients (temporary)',
  '454': 'Temporary authentication failure, or TLS not available',
  '455': 'Server unable to accommodate parameters',
  '500': 'Syntax error, command unrecognized (or line too long)',
  '501': 'Syntax error in parameters or arguments',
  '502': 'Command not implemented',
  '503': 'Bad sequence of commands',
  '504': 'Command parameter not implemented',
  '530': 'Authentication required, or STARTTLS first',
  '534': 'Authentication mechanism is too weak',
  '535': 'Authentication credentials invalid',
  '538': 'Encryption required for this authentication mechanism',
  '550': 'Mailbox unavailable or access denied (permanent)',
  '551': 'User not local; try another path',
  '552': 'Exceeded storage allocation (message too big)',
  '553': 'Mailbox name not allowed (bad address syntax)',
  '554': 'Transaction failed (or no SMTP service here)',
  '555': 'MAIL FROM/RCPT TO parameters not recognized',
}

const enhancedCodes: Record<string, string> = {
  'X.0.0': 'Other undefined status',
  'X.1.0': 'Other address status',
  'X.1.1': 'Bad destination mailbox address (no such user)',
  'X.1.2': 'Bad destination system address',
  'X.1.3': 'Bad destination mailbox address syntax',
  'X.1.5': 'Destination address valid',
  'X.1.6': 'Destination mailbox has moved',
  'X.1.7': 'Bad sender mailbox address syntax',
  'X.1.8': 'Bad sender system address',
  'X.2.0': 'Other mailbox status',
  'X.2.1': 'Mailbox disabled, not accepting messages',
  'X.2.2': 'Mailbox full',
  'X.2.3': 'Message length exceeds administrative limit',
  'X.3.0': 'Other mail system status',
  'X.3.1': 'Mail system full',
  'X.3.4': 'Message too big for system',
  'X.4.1': 'No answer from host',
  'X.4.2': 'Bad connection',
  'X.4.7': 'Delivery time expired',
  'X.5.0': 'Other or undefined protocol status',
  'X.5.1': 'Invalid command',
  'X.5.2': 'Syntax error',
  'X.5.3': 'Too many recipients',
  'X.5.4': 'Invalid command arguments',
  'X.6.0': 'Other or undefined media error',
  'X.7.0': 'Other security status (or authentication succeeded, for 2.7.0)',
  'X.7.1': 'Delivery not authorized, message refused',
  'X.7.8': 'Authentication credentials invalid',
  'X.7.9': 'Authentication mechanism is too weak',
  'X.7.11': 'Encryption required for requested authentication mechanism',
  'X.7.26': 'Multiple authentication checks failed',
}

const classes: Record<string, string> = {
  '2': 'success',
  '4': 'persistent transient failure (retry later)',
  '5': 'permanent failure',
}

/**
 * Explains a server line such as "550 5.1.1 No such user": the reply code and, when present, the
 * enhanced status code. Returns null for lines that do not start with a code.
 */
export function explainReply(line: string): string | null {
  const m = /^(\d{3})[ -](?:([245])\.(\d{1,3})\.(\d{1,3})\b)?/.exec(line)
  if (!m) return null
  const code = m[1]
  const parts = [`${code}: ${replyCodes[code] ?? `Unknown code, class ${code[0]}xx`}`]
  if (m[2]) {
    const enhanced = `${m[2]}.${m[3]}.${m[4]}`
    const meaning = enhancedCodes[`X.${m[3]}.${m[4]}`] ?? 'Unlisted enhanced status'
    parts.push(`${enhanced}: ${meaning} (${classes[m[2]]})`)
  }
  return parts.join('\n')
}

export function replyCodeOf(line: string): string | null {
  const m = /^(\d{3})[ -]/.exec(line)
  return m ? m[1] : null
}
