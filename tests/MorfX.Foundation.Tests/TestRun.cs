using MorfX.Testing;
using NUnit.Framework;

namespace MorfX.Foundation.Tests;

/// <summary>Real servers (base class). No shared fixture: each test boots the services it checks (<see cref="ServiceUnderTest"/>).</summary>
[SetUpFixture]
public sealed class TestRun : TestRunSetUp;
