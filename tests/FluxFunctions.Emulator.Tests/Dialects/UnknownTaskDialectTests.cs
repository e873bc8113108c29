using System.Net;
using System.Text.Json.Nodes;
using FluxFunctions.Emulator.Tests.Support;
using static FluxFunctions.Emulator.Tests.Support.RunwareTasks;

namespace FluxFunctions.Emulator.Tests.Dialects;

/// <summary><c>Emulator:UnknownTask</c>: how getResponse and getTaskDetails answer a taskUUID the emulator does not know.</summary>
public sealed class UnknownTaskDialectTests
{
    private static readonly string Photo = TestImages.DataUri(TestImages.Gradient(128, 128));

    [Theory]
    [InlineData("taskNotFound", HttpStatusCode.BadRequest, "taskNotFound", "taskUUID")]
    [InlineData("http400", HttpStatusCode.BadRequest, "invalidParameter", "taskUUID")]
    [InlineData("http404", HttpStatusCode.NotFound, "notFound", null)]
    [InlineData("taskFailedOrNotFound", HttpStatusCode.BadRequest, "taskFailedOrNotFound", "taskUUID")]
    public async Task GetResponseAndTaskDetails_UnknownTask_AnswerTheDialectsError(string dialect, HttpStatusCode status, string code, string? parameter)
    {
        await using var emulator = await TestEmulator.StartAsync(o => o.UnknownTask = dialect);
        var unknown = NewUuid();

        foreach (var ask in new[] { GetResponse(unknown), TaskDetails(unknown) })
        {
            var answer = await emulator.PostAsync(ask);

            Assert.Equal(status, answer.Status);
            Assert.Empty(answer.Data);
            var error = answer.SingleError();
            Assert.Equal(code, (string?)error["code"]);
            Assert.Equal(parameter, (string?)error["parameter"]);
            Assert.Equal(parameter is not null, error.ContainsKey("parameter"));
            Assert.Equal(unknown, (string?)error["taskUUID"]);
            Assert.Equal((string?)ask["taskType"], (string?)error["taskType"]);
            Assert.False(string.IsNullOrWhiteSpace((string?)error["message"]));
            Assert.StartsWith("https://runware.ai/docs/", (string?)error["documentation"], StringComparison.Ordinal);
        }

        Assert.Equal(2, await emulator.StatAsync("unknownTaskAnswers"));
    }

    [Fact]
    public async Task GetResponseAndTaskDetails_EmptyDialect_Answer200WithNoDataAndNoErrors()
    {
        await using var emulator = await TestEmulator.StartAsync(o => o.UnknownTask = "empty");
        var unknown = NewUuid();

        var poll = await emulator.PostAsync(GetResponse(unknown));
        var details = await emulator.PostAsync(TaskDetails(unknown));

        poll.AssertOk();
        Assert.Empty(poll.Data);
        Assert.False(poll.Body.ContainsKey("errors"));
        details.AssertOk();
        Assert.Empty(details.Data);
        Assert.Equal(2, await emulator.StatAsync("unknownTaskAnswers"));
    }

    [Fact]
    public async Task GetResponse_Http400Dialect_MessageDoesNotSayNotFound()
    {
        await using var emulator = await TestEmulator.StartAsync(o => o.UnknownTask = "http400");

        var error = (await emulator.PostAsync(GetResponse(NewUuid()))).AssertRejected("invalidParameter", "taskUUID");

        Assert.DoesNotContain("not found", (string)error["message"]!, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Post_Http404DialectBesideAKnownTask_IsA404AndOnlyTheUnknownTaskChanges()
    {
        await using var emulator = await TestEmulator.StartAsync(o => o.UnknownTask = "http404");
        var known = Inference(Dev, 128);
        (await emulator.PostAsync(known)).AssertOk();
        var upload = Upload(Photo);
        var unknown = NewUuid();

        var answer = await emulator.PostAsync(upload, GetResponse(known.Uuid()), GetResponse(unknown));

        Assert.Equal(HttpStatusCode.NotFound, answer.Status);
        Assert.Equal(2, answer.Data.Count);
        Assert.Equal(upload.Uuid(), (string?)answer.Data[0]!["taskUUID"]);
        Assert.Equal("success", (string?)answer.Data[1]!["status"]);
        var error = answer.SingleError();
        Assert.Equal("notFound", (string?)error["code"]);
        Assert.Equal(unknown, (string?)error["taskUUID"]);
    }

    [Fact]
    public async Task Post_Http404DialectBesideAnotherRejection_IsA400()
    {
        await using var emulator = await TestEmulator.StartAsync(o => o.UnknownTask = "http404");
        var bad = Inference(Dev, 128);
        bad["width"] = 100;

        var answer = await emulator.PostAsync(GetResponse(NewUuid()), bad);

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal(["notFound", "invalidWidth"], answer.Errors.Select(e => (string?)e!["code"]));
    }

    [Fact]
    public async Task Post_EmptyDialectBesideAnUpload_Is200WithTheUploadOnly()
    {
        await using var emulator = await TestEmulator.StartAsync(o => o.UnknownTask = "empty");
        var upload = Upload(Photo);

        var answer = await emulator.PostAsync(GetResponse(NewUuid()), upload);

        answer.AssertOk();
        Assert.Equal(upload.Uuid(), (string?)answer.SingleData()["taskUUID"]);
    }

    [Fact]
    public async Task GetResponse_DefaultDialectForAnUploadTask_IsTaskNotFoundAndCounted()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var upload = Upload(Photo);
        (await emulator.PostAsync(upload)).AssertOk();

        var error = (await emulator.PostAsync(GetResponse(upload.Uuid()))).AssertRejected("taskNotFound", "taskUUID");

        Assert.Equal("getResponse", (string?)error["taskType"]);
        Assert.Equal(1, await emulator.StatAsync("unknownTaskAnswers"));
    }

    [Fact]
    public async Task Dialect_Configured_IsShownByTheDialectEndpoint()
    {
        await using var emulator = await TestEmulator.StartAsync(o =>
        {
            o.UnknownTask = "HTTP404";
            o.DuplicateTask = "accept";
            o.WebhookShape = "perTask";
            o.VisibleAfterMs = 250;
        });

        var dialect = JsonNode.Parse(await emulator.Http.GetStringAsync("emulator/dialect"))!.AsObject();

        Assert.Equal("http404", (string?)dialect["unknownTask"]);
        Assert.Equal("accept", (string?)dialect["duplicateTask"]);
        Assert.Equal("perTask", (string?)dialect["webhookShape"]);
        Assert.Equal(250, (int)dialect["visibleAfterMs"]!);
    }

    [Fact]
    public async Task Dialect_Defaults_AreTheOriginalAnswers()
    {
        await using var emulator = await TestEmulator.StartAsync();

        var dialect = JsonNode.Parse(await emulator.Http.GetStringAsync("emulator/dialect"))!.AsObject();

        Assert.Equal("""{"unknownTask":"taskNotFound","duplicateTask":"reject","webhookShape":"perResult","visibleAfterMs":0}""", dialect.ToJsonString());
    }
}
