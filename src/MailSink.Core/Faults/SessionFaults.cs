using MailSink.Smtp;

namespace MailSink.Faults;

/// <summary>
/// One connection's side of fault injection: what the session has told so far (HELO, sender, recipients), the
/// questions the SMTP hooks ask at each stage, and the decision armed for the next reply, which
/// <see cref="FaultStream"/> carries out. Every fault that fires is written to the transcript, naming its rule.
/// </summary>
internal sealed class SessionFaults(FaultEvaluator evaluator, SessionRecorder recorder, string clientAddress, string listener, TimeSpan timeoutHold)
{
    /// <summary>Key of this object in SmtpServer's <c>ISessionContext.Properties</c>.</summary>
    public const string PropertyKey = "MailSink:Faults";

    private readonly Lock _gate = new();
    private readonly List<string> _recipients = [];
    private FaultDecision? _armed;
    private string? _helo;
    private string? _sender;

    public TimeProvider Time => evaluator.Time;

    public TimeSpan TimeoutHold => timeoutHold;

    public void Helo(string name)
    {
        lock (_gate)
        {
            _helo = name;
        }
    }

    /// <summary>MAIL starts a new transaction: the recipients so far belong to the last one.</summary>
    public void MailFrom(string sender)
    {
        lock (_gate)
        {
            _sender = sender;
            _recipients.Clear();
        }
    }

    public void RecipientAccepted(string recipient)
    {
        lock (_gate)
        {
            _recipients.Add(recipient);
        }
    }

    /// <summary>
    /// Asks the rules about <paramref name="stage"/>. <paramref name="recipient"/> is the one RCPT adds (at rcpt);
    /// at data and end-of-data every accepted recipient of the transaction counts.
    /// </summary>
    public FaultDecision? Ask(FaultStage stage, string? authUser, string? recipient = null)
    {
        FaultFacts facts;
        lock (_gate)
        {
            facts = new FaultFacts(
                stage,
                clientAddress,
                listener,
                stage >= FaultStage.Ehlo ? _helo : null,
                authUser,
                stage >= FaultStage.Mail ? _sender : null,
                stage switch
                {
                    FaultStage.Rcpt when recipient is not null => [recipient],
                    FaultStage.Data or FaultStage.EndOfData => [.. _recipients],
                    _ => [],
                });
        }

        var decision = evaluator.Evaluate(facts);
        if (decision is null)
        {
            return null;
        }

        recorder.FaultFired(decision.RuleId, $"Fault rule {decision.RuleId} ({decision.RuleName}) fired at {stage.Name()}: {decision.Describe()}", decision.Close);
        if (decision.Delay > TimeSpan.Zero || decision.Silent || decision.Reply is not null || decision.Close)
        {
            lock (_gate)
            {
                _armed = decision;
            }
        }

        return decision;
    }

    /// <summary>The decision for the reply being written now, if a rule fired for it; taken once.</summary>
    public FaultDecision? TakeArmed()
    {
        lock (_gate)
        {
            var armed = _armed;
            _armed = null;
            return armed;
        }
    }
}
