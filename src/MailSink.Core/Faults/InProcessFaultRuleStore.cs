namespace MailSink.Faults;

/// <summary>The rules live in this process only (LiteDB and memory storage): nothing to store, nothing to wait for.</summary>
internal sealed class InProcessFaultRuleStore : IFaultRuleStore
{
    public void Changed(FaultRuleChange change)
    {
    }

    public void Fired(string ruleId)
    {
    }

    public void SettingChanged(string key, string? json)
    {
    }

    public Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
