using System.Net;
using System.Text.Json;
using MorfX.Contracts;
using MorfX.ServiceDefaults;
using NUnit.Framework;
using static MorfX.ConfigApi.Tests.ConfigApiFixture;

namespace MorfX.ConfigApi.Tests;

/// <summary>
/// GET and PUT /api/settings/messaging: the defaults until a save, what a save keeps and announces
/// (WorkspaceMessagingChanged), and each bad input as a coded, Spanish field error.
/// </summary>
public class MessagingSettingsTests
{
    const string Path = "/api/settings/messaging";

    [TearDown]
    public void ReportLogs() => ReportLogsIfFailed();

    static object Window(string start = "09:00", string end = "20:00", string[]? days = null) =>
        new { start, end, days = days ?? ["mon", "tue", "wed", "thu", "fri"] };

    static async Task<JsonElement> ProblemOfAsync(object body)
    {
        using var client = Client(Guid.NewGuid());
        using var response = await client.PutJson(Path, body);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), await response.Content.ReadAsStringAsync());
        var problem = await response.Json();
        Assert.That(problem.Code(), Is.EqualTo("validation_failed"));
        Assert.That(problem.Str("detail"), Is.Not.Empty);
        return problem;
    }

    [Test]
    public async Task A_workspace_that_never_saved_reads_the_default_window_and_no_cap()
    {
        using var client = Client(Guid.NewGuid(), Roles.Agent);

        var settings = await client.GetJson(Path);

        var window = settings.GetProperty("marketingWindow");
        Assert.That((window.Str("start"), window.Str("end")), Is.EqualTo(("08:00", "21:00")));
        Assert.That(window.GetProperty("days").EnumerateArray().Select(d => d.GetString()),
            Is.EqualTo(new[] { "mon", "tue", "wed", "thu", "fri", "sat" }));
        Assert.That(settings.GetProperty("marketingFrequencyCap").ValueKind, Is.EqualTo(JsonValueKind.Null));
    }

    [Test]
    public async Task A_save_is_read_back_and_announced_to_the_engine()
    {
        var workspace = Guid.NewGuid();
        using var client = Client(workspace, Roles.Admin);

        using var response = await client.PutJson(Path, new
        {
            marketingWindow = Window("22:00", "02:00", ["fri", "sat"]), marketingFrequencyCap = new { maxMessages = 3, periodDays = 7 },
        });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var read = await client.GetJson(Path);
        Assert.That(read.GetProperty("marketingWindow").Str("start"), Is.EqualTo("22:00"), "a window may cross midnight");
        Assert.That(read.GetProperty("marketingWindow").GetProperty("days").EnumerateArray().Select(d => d.GetString()), Is.EqualTo(new[] { "fri", "sat" }));
        Assert.That(read.GetProperty("marketingFrequencyCap").GetProperty("maxMessages").GetInt32(), Is.EqualTo(3));
        Assert.That(read.GetProperty("marketingFrequencyCap").GetProperty("periodDays").GetInt32(), Is.EqualTo(7));

        var change = await Events.WaitForAsync<WorkspaceMessagingChanged>(c => c.WorkspaceId == workspace, because: "the save, announced");
        Assert.That((change.MarketingWindow.Start, change.MarketingWindow.End), Is.EqualTo(("22:00", "02:00")));
        Assert.That(change.MarketingWindow.Days, Is.EqualTo(new[] { "fri", "sat" }));
        Assert.That(change.MarketingFrequencyCap, Is.EqualTo(new MarketingFrequencyCap(3, 7)));
    }

    [Test]
    public async Task A_cap_saved_as_null_turns_it_off_and_the_later_change_is_announced_later()
    {
        var workspace = Guid.NewGuid();
        using var client = Client(workspace);
        using var first = await client.PutJson(Path, new { marketingWindow = Window(), marketingFrequencyCap = new { maxMessages = 1, periodDays = 1 } });
        using var second = await client.PutJson(Path, new { marketingWindow = Window("08:30", "19:00"), marketingFrequencyCap = (object?)null });

        Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var read = await client.GetJson(Path);
        Assert.That(read.GetProperty("marketingFrequencyCap").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(read.GetProperty("marketingWindow").Str("start"), Is.EqualTo("08:30"));

        var off = await Events.WaitForAsync<WorkspaceMessagingChanged>(c => c.WorkspaceId == workspace && c.MarketingFrequencyCap is null, because: "the cap off");
        var on = await Events.WaitForAsync<WorkspaceMessagingChanged>(c => c.WorkspaceId == workspace && c.MarketingFrequencyCap is not null, because: "the first save");
        Assert.That(off.ChangedAt, Is.GreaterThan(on.ChangedAt), "the engine keeps the latest by ChangedAt");
    }

    [TestCase("8:00", "21:00", "marketingWindow.start:invalid_send_window_start")]
    [TestCase("24:00", "21:00", "marketingWindow.start:invalid_send_window_start")]
    [TestCase(null, "21:00", "marketingWindow.start:invalid_send_window_start")]
    [TestCase("08:00", "21:60", "marketingWindow.end:invalid_send_window_end")]
    [TestCase("08:00", "", "marketingWindow.end:invalid_send_window_end")]
    [TestCase("08:00", "08:00", "marketingWindow.end:empty_send_window")]
    public async Task A_bad_window_time_is_a_coded_field_error(string? start, string end, string expected)
    {
        var problem = await ProblemOfAsync(new { marketingWindow = new { start, end, days = new[] { "mon" } } });

        Assert.That(problem.FieldErrors(), Is.EqualTo(new[] { expected }));
    }

    [TestCase("")]
    [TestCase("lunes")]
    [TestCase("mon,mon")]
    [TestCase(null)]
    public async Task Bad_window_days_are_a_coded_field_error(string? list)
    {
        var days = list?.Split(',', StringSplitOptions.RemoveEmptyEntries);
        var problem = await ProblemOfAsync(new { marketingWindow = new { start = "08:00", end = "21:00", days } });

        Assert.That(problem.FieldErrors(), Is.EqualTo(new[] { "marketingWindow.days:invalid_send_window_days" }));
        Assert.That(problem.Str("detail"), Does.Contain("mon, tue"));
    }

    [Test]
    public async Task A_missing_window_is_required()
    {
        var problem = await ProblemOfAsync(new { marketingFrequencyCap = (object?)null });

        Assert.That(problem.FieldErrors(), Is.EqualTo(new[] { "marketingWindow:required" }));
    }

    [TestCase(0, 7, "marketingFrequencyCap.maxMessages:invalid_frequency_cap")]
    [TestCase(101, 7, "marketingFrequencyCap.maxMessages:invalid_frequency_cap")]
    [TestCase(null, 7, "marketingFrequencyCap.maxMessages:invalid_frequency_cap")]
    [TestCase(3, 0, "marketingFrequencyCap.periodDays:invalid_frequency_cap")]
    [TestCase(3, 91, "marketingFrequencyCap.periodDays:invalid_frequency_cap")]
    [TestCase(3, null, "marketingFrequencyCap.periodDays:invalid_frequency_cap")]
    public async Task A_cap_out_of_range_is_a_coded_field_error(int? maxMessages, int? periodDays, string expected)
    {
        var problem = await ProblemOfAsync(new { marketingWindow = Window(), marketingFrequencyCap = new { maxMessages, periodDays } });

        Assert.That(problem.FieldErrors(), Is.EqualTo(new[] { expected }));
        Assert.That(problem.Str("detail"), Does.Contain("entre 1 y"));
    }

    [Test]
    public async Task A_refused_save_changes_nothing_and_announces_nothing()
    {
        var workspace = Guid.NewGuid();
        using var client = Client(workspace);

        using var response = await client.PutJson(Path, new { marketingWindow = Window("08:00", "08:00") });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await client.GetJson(Path)).GetProperty("marketingWindow").Str("start"), Is.EqualTo("08:00"));
        Assert.That((await client.GetJson(Path)).GetProperty("marketingWindow").Str("end"), Is.EqualTo("21:00"), "still the default");
        await Task.Delay(500);
        Assert.That(Events.All<WorkspaceMessagingChanged>(c => c.WorkspaceId == workspace), Is.Empty);
    }

    [Test]
    public async Task An_agent_reads_but_may_not_change_the_settings()
    {
        using var agent = Client(Guid.NewGuid(), Roles.Agent);

        using var put = await agent.PutJson(Path, new { marketingWindow = Window() });

        Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await put.Json()).Code(), Is.EqualTo("forbidden"));
    }

    [Test]
    public async Task The_routes_and_their_problems_are_in_the_openapi_document()
    {
        using var client = Api.CreateClient();

        var document = await client.GetJson("/openapi/v1.json");

        var path = document.GetProperty("paths").GetProperty(Path);
        Assert.That(path.GetProperty("get").GetProperty("operationId").GetString(), Is.EqualTo("GetMessagingSettings"));
        var put = path.GetProperty("put");
        Assert.That(put.GetProperty("operationId").GetString(), Is.EqualTo("SaveMessagingSettings"));
        Assert.That(put.GetProperty("responses").TryGetProperty("400", out _), Is.True, "validation problems documented");
        Assert.That(put.GetProperty("description").GetString(), Does.Contain("invalid_send_window_days").And.Contain("invalid_frequency_cap"));
    }
}
