using System.Security.Cryptography;
using System.Text;

namespace FluxFunctions.Core.Pipeline;

/// <summary>Runware task ids made deterministically for a job.</summary>
public static class RunwareIds
{
    /// <summary>
    /// The taskUUID of one Runware task of a job, derived from the job id and the task's role (e.g. <c>inference/0</c>),
    /// in the UUIDv4 form Runware asks for. It does not depend on when the orchestration ran: an orchestration episode
    /// that is executed again after a crash (its history was not committed, but its activity message was already sent)
    /// asks for the same task, so the submit activity finds it at Runware and does not submit, and pay for, it twice.
    /// (The durable <c>NewGuid</c> would not do: it is derived from the episode's timestamp, which changes when an
    /// uncommitted episode runs again.)
    /// </summary>
    public static Guid For(string jobId, string role)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        ArgumentNullException.ThrowIfNull(role);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes($"fluxfunctions/{jobId}/{role}"), hash);
        var bytes = hash[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }

    /// <summary>The taskUUID of submission <paramref name="submission"/> (0, then each resubmission) of crop <paramref name="crop"/>'s inference.</summary>
    public static Guid Inference(string jobId, int crop, int submission) =>
        For(jobId, crop == 0 ? $"inference/{submission}" : $"inference/{crop}/{submission}");
}
