using FluxFunctions.Core.Pipeline;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

namespace FluxFunctions.Functions.Durable;

/// <summary>Runs Core's orchestrator under the Durable Functions extension.</summary>
public static class OrchestratorFunctions
{
    [Function(nameof(EditOrchestrator))]
    public static Task<JobResult> RunEditOrchestrator([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new EditOrchestrator().RunAsync(context, context.GetInput<JobRequest>()!);
}
