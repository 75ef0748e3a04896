using MorfX.Testing;
using NUnit.Framework;

[SetUpFixture]
public sealed class TestRun : TestRunSetUp;
