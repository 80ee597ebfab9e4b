// Shapes of the MailSink HTTP API v1 and hub, keys as sent on the wire. The server's DTOs
// (src/MailSink.Core/Contracts/) are the source; /openapi/v1.json (browsable at /api/docs) describes them, and
// contract.check.ts makes the web build fail when a type here and the server's golden JSON disagree.

export interface Address {
  Name: string
  Address: string
}

export interface Tls {
  Protocol: string
  CipherSuite: string
}

export interface Attachment {
  PartID: string
  FileName: string
  ContentType: string
  ContentID: string
  Size: number
  Inline: boolean
}

/** An attachment or inline part of a whole message (GET /api/v1/message/{id}): with the digests of its content. */
export interface MessageAttachment extends Attachment {
  Checksums: AttachmentChecksums
}

export interface AttachmentChecksums {
  MD5: string
  SHA1: string
  SHA256: string
}

/** Mailpit's "ListUnsubscribe": the header, its links and what is wrong with it. */
export interface ListUnsubscribe {
  Header: string
  Links: string[]
  Errors: string
  HeaderPost: string
}

export interface MessageSummary {
  ID: string
  MessageID: string
  Read: boolean
  From: Address | null
  To: Address[]
  Cc: Address[]
  Bcc: Address[]
  ReplyTo: Address[]
  Subject: string
  Created: string
  Username: string
  Tags: string[]
  Size: number
  Attachments: number
  Snippet: string
  SessionID: string
  HasHtml: boolean
  HasText: boolean
  Warnings: string[]
  Listener: string
  Tls: Tls | null
  MailFrom: string
  RcptTo: string[]
  /** Findings of the deliverability checks per severity; null when the checks were off. */
  Counts?: CheckCounts | null
}

export type Severity = 'error' | 'warning' | 'info' | 'pass'

export interface CheckCounts {
  Error: number
  Warning: number
  Info: number
  Pass: number
}

export interface Finding {
  Code: string
  Severity: Severity
  Area: 'dkim' | 'spf' | 'dmarc' | 'headers' | 'mime' | 'smtp' | 'content'
  Message: string
  Rfc: string
}

export interface DkimResult {
  Result: string
  Reason: string
  Domain: string
  Selector: string
  Algorithm: string
  /** The i= tag; empty when absent. */
  Identity: string
  /** The c= tag, e.g. "relaxed/relaxed". */
  Canonicalization: string
  /** The h= tag: the header fields the signature covers. */
  SignedHeaders: string[]
  /** The l= tag: only this many body octets are signed. */
  BodyLength: number | null
  /** The t= and x= tags, ISO 8601. */
  SignedAt: string | null
  ExpiresAt: string | null
  BodyHashMatches: boolean | null
  KeyBits: number | null
  /** Where the key was looked up: selector._domainkey.domain. */
  KeyName: string
}

export interface SpfEvaluation {
  Ip: string
  IpSource: string
  Result: string
  Mechanism: string
  DecidedBy: string
  Includes: string[]
  DnsLookups: number
  VoidLookups: number
  Reason: string
}

export interface SpfReport {
  Domain: string
  Identity: string
  Record: string
  Evaluations: SpfEvaluation[]
  /** The evaluation DMARC uses: the last of Evaluations (Diagnostics:SenderIp when set, else the client). */
  Deciding: SpfEvaluation | null
}

export interface DmarcResult {
  Result: string
  FromDomain: string
  OrganizationalDomain: string
  /** The domain whose _dmarc record applied: the From domain, or the organizational domain. */
  RecordDomain: string
  Record: string
  /** p=, sp= and the one that applies to this From domain. */
  Policy: string
  SubdomainPolicy: string
  AppliedPolicy: string
  /** Alignment modes: "r" (relaxed) or "s" (strict). */
  Adkim: string
  Aspf: string
  DkimAligned: boolean
  SpfAligned: boolean
  /** The d= of each passing DKIM signature. */
  DkimDomains: string[]
  SpfDomain: string
  SpfResult: string
  Verdict: string
  Fix: string
}

/** GET /api/v1/message/{id}/checks */
export interface MessageChecks {
  AuthenticationResults: string
  Dkim: DkimResult[]
  Spf: SpfReport | null
  Dmarc: DmarcResult | null
  Findings: Finding[]
  Counts: CheckCounts
}

/** GET /api/v1/codes: a reply code ("550") or an enhanced status code keyed "X.1.1". */
export interface StatusCode {
  Code: string
  Kind: 'reply' | 'enhanced'
  Meaning: string
  Fix: string
  Rfc: string
}

export interface Envelope {
  MailFrom: string
  MailParameters: Record<string, string>
  RcptTo: string[]
  Helo: string
  ClientAddress: string
  ClientPort: number
  ServerAddress: string
  ServerPort: number
  Listener: string
  Tls: Tls | null
  AuthUser: string | null
}

export interface ReceivedHop {
  Index: number
  Raw: string
  From: string | null
  By: string | null
  Via: string | null
  With: string | null
  Id: string | null
  For: string | null
  Tls: string | null
  Date: string | null
  DelaySeconds: number | null
  Note: string | null
}

export interface Message extends Omit<MessageSummary, 'Attachments'> {
  Date: string | null
  ReturnPath: string
  Text: string
  HTML: string
  Inline: MessageAttachment[]
  Attachments: MessageAttachment[]
  Envelope: Envelope
  Received: ReceivedHop[]
  ListUnsubscribe: ListUnsubscribe
}

export interface MessagesPage {
  total: number
  unread: number
  count: number
  messages_count: number
  messages_unread: number
  start: number
  tags: string[]
  messages: MessageSummary[]
}

export interface HeaderLine {
  Name: string
  Value: string
}

export type TranscriptDirection = 'client' | 'server' | 'event'

export interface TranscriptLine {
  Time: string
  Direction: TranscriptDirection
  Text: string
  MessageID: string | null
}

export type SessionOutcome =
  | 'open' | 'quit' | 'client-disconnected' | 'timeout' | 'server-error' | 'server-shutdown' | 'too-many-errors' | 'tls-failed' | 'message-too-big'
  | 'closed-by-fault'

export interface SessionSummary {
  ID: string
  StartedAt: string
  EndedAt: string | null
  Listener: string
  ClientAddress: string
  Helo: string
  Tls: Tls | null
  AuthUser: string | null
  Outcome: SessionOutcome
  Error: string | null
  FailedAuthAttempts: number
  MessageIDs: string[]
  LineCount: number
  /** IDs of the fault rules that fired in this session. */
  Faults: string[]
}

export interface Session extends SessionSummary {
  ClientPort: number
  ServerAddress: string
  ServerPort: number
  Lines: TranscriptLine[]
}

export interface Transcript {
  Session: SessionSummary
  TransactionFirstLine: number
  TransactionLastLine: number
  Lines: TranscriptLine[]
}

export interface SessionsPage {
  total: number
  start: number
  count: number
  sessions: SessionSummary[]
}

export interface MessageUpdate {
  id: string
  read: boolean
  tags: string[]
}

export interface Stats {
  total: number
  unread: number
}

export interface Problem {
  type?: string
  title?: string
  status?: number
  detail?: string
}

/** What a fault rule matches; every pattern left out matches anything (globs like *@bounce.example, or /regex/). */
export interface FaultMatch {
  Sender?: string | null
  Recipient?: string | null
  ClientAddress?: string | null
  AuthUser?: string | null
  Helo?: string | null
  Listener?: string | null
}

export interface FaultAction {
  Kind: string
  Code: number | null
  EnhancedCode: string | null
  Text: string | null
  DelaySeconds: number
  CloseAfterReply: boolean
  Tag: string | null
  RetryAfterSeconds: number | null
  Limit: number | null
}

/** A fault rule as GET /api/v1/faults lists it, with how many times it fired. */
export interface FaultRule {
  ID: string
  Name: string
  Preset: string | null
  Stage: string
  Match: FaultMatch
  Action: FaultAction
  Probability: number
  Seed: number | null
  Count: number | null
  Fired: number
}

export interface FaultPreset {
  Name: string
  Stage: string
  Kind: string
  Description: string
}

/** The body of POST /api/v1/faults from a preset. */
export interface FaultPresetRequest {
  Preset: string
  Match?: FaultMatch
  Action?: { RetryAfterSeconds?: number; Limit?: number; DelaySeconds?: number }
  Count?: number
}
