using MorfX.Testing;
using NUnit.Framework;

namespace MorfX.SmsSender.Measurements;

/// <summary>
/// The real servers for the measurements, without <see cref="Tests.SmsSenderFixture"/>: its test-tuned senders must not
/// price the measured messages, so the measurements live outside MorfX.SmsSender.Tests, whose TestRun starts it.
/// </summary>
[SetUpFixture]
public sealed class MeasurementRun : TestRunSetUp;
