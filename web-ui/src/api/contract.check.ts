// The wire contract, checked by the compiler: `npm run build` runs vue-tsc over this file, which assigns each
// golden file of the server's JSON (tests/MailSink.Tests/Contracts/Golden/, written from the real DTOs by
// ContractGoldenTests) to the type in types.ts that the UI reads it as. A field renamed, added or dropped on
// either side fails the web build with the field's path in the message. Nothing here is bundled: no code
// imports this file, and its imports are only used as types.
//
// JSON imports widen ("server" becomes string), so Exact compares keys exactly (both ways, recursively) and
// leaves literal unions such as TranscriptDirection to the widened kind. After an intended change:
// regenerate the golden files (see ContractGoldenTests), then make types.ts agree.

import type * as T from './types'
import attachment from '../../../tests/MailSink.Tests/Contracts/Golden/AttachmentDto.json'
import faultPreset from '../../../tests/MailSink.Tests/Contracts/Golden/FaultPresetDto.json'
import faultRule from '../../../tests/MailSink.Tests/Contracts/Golden/FaultRuleDto.json'
import header from '../../../tests/MailSink.Tests/Contracts/Golden/HeaderDto.json'
import hubMessageUpdate from '../../../tests/MailSink.Tests/Contracts/Golden/HubMessageUpdate.json'
import hubStats from '../../../tests/MailSink.Tests/Contracts/Golden/HubStats.json'
import message from '../../../tests/MailSink.Tests/Contracts/Golden/MessageDto.json'
import messageChecks from '../../../tests/MailSink.Tests/Contracts/Golden/MessageChecksDto.json'
import messageSummary from '../../../tests/MailSink.Tests/Contracts/Golden/MessageSummaryDto.json'
import messageTranscript from '../../../tests/MailSink.Tests/Contracts/Golden/MessageTranscriptDto.json'
import messagesPage from '../../../tests/MailSink.Tests/Contracts/Golden/MessagesPageDto.json'
import session from '../../../tests/MailSink.Tests/Contracts/Golden/SessionDto.json'
import sessionSummary from '../../../tests/MailSink.Tests/Contracts/Golden/SessionSummaryDto.json'
import sessionsPage from '../../../tests/MailSink.Tests/Contracts/Golden/SessionsPageDto.json'
import statusCode from '../../../tests/MailSink.Tests/Contracts/Golden/SmtpStatusCodeDto.json'
import transcriptLine from '../../../tests/MailSink.Tests/Contracts/Golden/TranscriptLineDto.json'

// Not checked, because the UI has no type for them: InfoDto.json (/api/v1/info is for tools, not the inbox).

type Widen<V> = V extends string ? string : V extends number ? number : V extends boolean ? boolean : V

type Mismatch<Path extends string, What extends string> = { contract: `${Path}: ${What}` }

/** true when Wire (the golden JSON's type) is exactly Declared (types.ts), else the mismatches with their paths. */
type Exact<Declared, Wire, Path extends string> =
  [Wire] extends [readonly (infer WireItem)[]]
    ? [NonNullable<Declared>] extends [readonly (infer DeclaredItem)[]]
      ? Exact<DeclaredItem, WireItem, `${Path}[]`>
      : Mismatch<Path, 'an array on the wire, not in types.ts'>
    : [Wire] extends [object]
      ? [NonNullable<Declared>] extends [object]
        ? ExactObject<NonNullable<Declared>, Wire, Path>
        : Mismatch<Path, 'an object on the wire, not in types.ts'>
      : [Wire] extends [Widen<Declared>]
        ? true
        : Mismatch<Path, 'the value on the wire does not have the type types.ts declares'>

type ExactObject<Declared, Wire, Path extends string> =
  string extends keyof Declared
    // A map (Record<string, V>): any key, each value a V.
    ? { [K in keyof Wire]-?: Exact<Declared[string & keyof Declared], Wire[K], `${Path}.${K & string}`> }[keyof Wire] | true
    :
      | ([Exclude<keyof Wire, keyof Declared>] extends [never]
        ? true
        : Mismatch<Path, `the wire sends ${Exclude<keyof Wire, keyof Declared> & string}, types.ts does not declare it`>)
      | ([Exclude<keyof Declared, keyof Wire>] extends [never]
        ? true
        : Mismatch<Path, `types.ts declares ${Exclude<keyof Declared, keyof Wire> & string}, the wire does not send it`>)
      | { [K in keyof Wire & keyof Declared]-?: Exact<Declared[K], Wire[K], `${Path}.${K & string}`> }[keyof Wire & keyof Declared]

/** Compiles only when every branch of the check is true. */
type Agrees<Result extends true> = Result

export type WireContract = [
  Agrees<Exact<T.Attachment, typeof attachment, 'AttachmentDto'>>,
  Agrees<Exact<T.FaultPreset, typeof faultPreset, 'FaultPresetDto'>>,
  Agrees<Exact<T.FaultRule, typeof faultRule, 'FaultRuleDto'>>,
  Agrees<Exact<T.HeaderLine, typeof header, 'HeaderDto'>>,
  Agrees<Exact<T.MessageUpdate, typeof hubMessageUpdate, 'HubMessageUpdate'>>,
  Agrees<Exact<T.Stats, typeof hubStats, 'HubStats'>>,
  Agrees<Exact<T.Message, typeof message, 'MessageDto'>>,
  Agrees<Exact<T.MessageChecks, typeof messageChecks, 'MessageChecksDto'>>,
  Agrees<Exact<T.MessageSummary, typeof messageSummary, 'MessageSummaryDto'>>,
  Agrees<Exact<T.Transcript, typeof messageTranscript, 'MessageTranscriptDto'>>,
  Agrees<Exact<T.MessagesPage, typeof messagesPage, 'MessagesPageDto'>>,
  Agrees<Exact<T.Session, typeof session, 'SessionDto'>>,
  Agrees<Exact<T.SessionSummary, typeof sessionSummary, 'SessionSummaryDto'>>,
  Agrees<Exact<T.SessionsPage, typeof sessionsPage, 'SessionsPageDto'>>,
  // GET /api/v1/codes sends a list of these.
  Agrees<Exact<T.StatusCode, typeof statusCode, 'SmtpStatusCodeDto'>>,
  Agrees<Exact<T.TranscriptLine, typeof transcriptLine, 'TranscriptLineDto'>>,
]
