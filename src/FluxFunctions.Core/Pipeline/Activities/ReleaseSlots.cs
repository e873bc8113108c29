namespace FluxFunctions.Core.Pipeline.Activities;

/// <summary>Gives back the inference slots a canceled job's inferences still held; returns how many it gave back.</summary>
public sealed class ReleaseSlots(InferenceSlots slots) : FluxActivity<ReleaseSlotsInput, int>
{
    public override async Task<int> ExecuteAsync(ReleaseSlotsInput input, CancellationToken cancellationToken)
    {
        var released = 0;
        foreach (var task in input.TaskUuids)
        {
            if (await slots.ReleaseAsync(task, cancellationToken).ConfigureAwait(false))
            {
                released++;
            }
        }

        return released;
    }
}
