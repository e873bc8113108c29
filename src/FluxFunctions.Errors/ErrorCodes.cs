namespace FluxFunctions.Errors;

/// <summary>Error codes of our own (Runware's codes pass through unchanged).</summary>
public static class ErrorCodes
{
    public const string InvalidJson = "invalidJson";
    public const string InvalidType = "invalidType";
    public const string MissingField = "missingField";
    public const string UnknownField = "unknownField";
    public const string UnknownTool = "unknownTool";
    public const string ForbiddenParameter = "forbiddenParameter";
    public const string OutOfRange = "outOfRange";
    public const string NotMultipleOf64 = "notMultipleOf64";
    public const string InvalidValue = "invalidValue";
    public const string PromptTooLong = "promptTooLong";
    public const string PromptTooShort = "promptTooShort";
    public const string InvalidImageSource = "invalidImageSource";
    public const string UnsafeUrl = "unsafeUrl";
    public const string DownloadFailed = "downloadFailed";
    public const string PayloadTooLarge = "payloadTooLarge";
    public const string InvalidBlobName = "invalidBlobName";
    public const string BlobNotFound = "blobNotFound";

    public const string EmptyImage = "emptyImage";
    public const string NotAnImage = "notAnImage";
    public const string UnsupportedImageFormat = "unsupportedImageFormat";
    public const string CorruptImage = "corruptImage";
    public const string ImageTooLarge = "imageTooLarge";
    public const string ImageTooSmall = "imageTooSmall";
    public const string MaskAspectMismatch = "maskAspectMismatch";
    public const string EmptyMask = "emptyMask";
    public const string FullMask = "fullMask";

    public const string MissingCompanion = "missingCompanion";
    public const string InvalidOptionsFile = "invalidOptionsFile";
    public const string InferenceTimeout = "inferenceTimeout";
    public const string RunwareUnavailable = "runwareUnavailable";
    public const string RunwareProtocol = "runwareProtocol";

    /// <summary>Runware showed no sign of a submitted inference, even after it was looked up and submitted again.</summary>
    public const string RunwareTaskMissing = "runwareTaskMissing";
    public const string Canceled = "canceled";

    /// <summary>Runware flagged a result (<c>NSFWContent</c>) of a job with <c>safety.onFlagged: fail</c>, or refused the content with a safety error.</summary>
    public const string ContentFlagged = "contentFlagged";
    public const string Internal = "internalError";
}
