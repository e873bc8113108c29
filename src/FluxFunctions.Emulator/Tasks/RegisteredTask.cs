namespace FluxFunctions.Emulator.Tasks;

/// <summary>
/// A task UUID the emulator has accepted: its type, its inference (for imageInference), and what getTaskDetails reports
/// of it. The request and an immediate answer are kept as compact JSON text (secrets redacted, long strings elided),
/// parsed again when asked for. Thread-safe.
/// </summary>
internal sealed class RegisteredTask
{
    private string? answerJson;

    /// <param name="taskType">The task type it was accepted as.</param>
    /// <param name="requestJson">The task object as sent (redacted), as a JSON array of one object.</param>
    /// <param name="job">The inference, for imageInference tasks.</param>
    public RegisteredTask(string taskType, string requestJson, InferenceJob? job = null)
    {
        ArgumentNullException.ThrowIfNull(taskType);
        ArgumentNullException.ThrowIfNull(requestJson);
        TaskType = taskType;
        RequestJson = requestJson;
        Job = job;
        AcceptedAtMs = Environment.TickCount64;
    }

    /// <summary>The task type it was accepted as.</summary>
    public string TaskType { get; }

    /// <summary>The inference, for imageInference tasks.</summary>
    public InferenceJob? Job { get; }

    /// <summary>The task as sent, secrets redacted and long strings elided: a JSON array holding the task object.</summary>
    public string RequestJson { get; }

    /// <summary>When it was accepted (<see cref="Environment.TickCount64"/>).</summary>
    public long AcceptedAtMs { get; }

    /// <summary>The response envelope a task answered at once (upload, preprocess), as JSON; null for inferences and before the answer.</summary>
    public string? AnswerJson => Volatile.Read(ref answerJson);

    /// <summary>Keeps the response envelope of a task answered at once.</summary>
    public void Answered(string envelopeJson)
    {
        ArgumentNullException.ThrowIfNull(envelopeJson);
        Volatile.Write(ref answerJson, envelopeJson);
    }
}
