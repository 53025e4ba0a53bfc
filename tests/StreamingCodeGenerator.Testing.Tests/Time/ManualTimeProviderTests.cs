namespace StreamingCodeGeneration.Testing.Tests.Time;

[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class ManualTimeProviderTests
{
    [Test]
    public void Advance_FiresTimersInDueOrder_AndMovesBothClocks()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2030, 5, 1, 12, 0, 0, TimeSpan.Zero));
        var fired = new List<string>();
        using ITimer late = clock.CreateTimer(_ => fired.Add("late"), null, TimeSpan.FromSeconds(5), Timeout.InfiniteTimeSpan);
        using ITimer early = clock.CreateTimer(_ => fired.Add("early"), null, TimeSpan.FromSeconds(2), Timeout.InfiniteTimeSpan);

        clock.Advance(TimeSpan.FromSeconds(10));

        fired.Should().Equal("early", "late");
        clock.GetUtcNow().Should().Be(new DateTimeOffset(2030, 5, 1, 12, 0, 10, TimeSpan.Zero));
        clock.GetElapsedTime(0).Should().Be(TimeSpan.FromSeconds(10));
    }

    [Test]
    public void PeriodicTimer_FiresOncePerPeriod()
    {
        var clock = new ManualTimeProvider();
        int fired = 0;
        using ITimer timer = clock.CreateTimer(_ => fired++, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3));

        clock.Advance(TimeSpan.FromSeconds(10)); // 1, 4, 7, 10

        fired.Should().Be(4);
    }

    [Test]
    public async Task WaitForTimerAsync_CompletesWhenCodeArmsThatDueTime()
    {
        var clock = new ManualTimeProvider();
        Task<TimeSpan> waiting = clock.WaitForTimerAsync(TimeSpan.FromSeconds(30));
        waiting.IsCompleted.Should().BeFalse();

        Task delay = Task.Delay(TimeSpan.FromSeconds(30), clock);
        (await waiting).Should().Be(TimeSpan.FromSeconds(30));
        clock.Advance(TimeSpan.FromSeconds(30));
        await delay;
    }

    [Test]
    public void Advance_Negative_IsRefused() =>
        new ManualTimeProvider().Invoking(c => c.Advance(TimeSpan.FromTicks(-1))).Should().Throw<ArgumentOutOfRangeException>();
}
