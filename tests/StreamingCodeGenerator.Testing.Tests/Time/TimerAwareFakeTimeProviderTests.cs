namespace StreamingCodeGeneration.Testing.Tests.Time;

[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class TimerAwareFakeTimeProviderTests
{
    [Test]
    public void Advance_FiresTimersInDueOrder_AndMovesBothClocks()
    {
        var clock = new TimerAwareFakeTimeProvider(new DateTimeOffset(2030, 5, 1, 12, 0, 0, TimeSpan.Zero));
        long start = clock.GetTimestamp();
        var fired = new List<string>();
        using ITimer late = clock.CreateTimer(_ => fired.Add("late"), null, TimeSpan.FromSeconds(5), Timeout.InfiniteTimeSpan);
        using ITimer early = clock.CreateTimer(_ => fired.Add("early"), null, TimeSpan.FromSeconds(2), Timeout.InfiniteTimeSpan);

        clock.Advance(TimeSpan.FromSeconds(10));

        fired.Should().Equal("early", "late");
        clock.GetUtcNow().Should().Be(new DateTimeOffset(2030, 5, 1, 12, 0, 10, TimeSpan.Zero));
        clock.GetElapsedTime(start).Should().Be(TimeSpan.FromSeconds(10));
    }

    [Test]
    public void PeriodicTimer_FiresOncePerPeriod()
    {
        var clock = new TimerAwareFakeTimeProvider();
        int fired = 0;
        using ITimer timer = clock.CreateTimer(_ => fired++, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3));

        clock.Advance(TimeSpan.FromSeconds(10)); // 1, 4, 7, 10

        fired.Should().Be(4);
    }

    [Test]
    public async Task WaitForTimerAsync_CompletesWhenCodeArmsThatDueTime()
    {
        var clock = new TimerAwareFakeTimeProvider();
        Task<TimeSpan> waiting = clock.WaitForTimerAsync(TimeSpan.FromSeconds(30));
        waiting.IsCompleted.Should().BeFalse();

        Task delay = Task.Delay(TimeSpan.FromSeconds(30), clock);
        (await waiting).Should().Be(TimeSpan.FromSeconds(30));
        clock.Advance(TimeSpan.FromSeconds(30));
        await delay;
    }

    [Test]
    public async Task WaitForTimerAsync_FindsATimerArmedBeforeTheWait_ButNotOneThatFiredOrWasDisposed()
    {
        var clock = new TimerAwareFakeTimeProvider();
        using ITimer pending = clock.CreateTimer(_ => { }, null, TimeSpan.FromSeconds(7), Timeout.InfiniteTimeSpan);
        using ITimer fired = clock.CreateTimer(_ => { }, null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);
        ITimer disposed = clock.CreateTimer(_ => { }, null, TimeSpan.FromSeconds(9), Timeout.InfiniteTimeSpan);
        disposed.Dispose();
        clock.Advance(TimeSpan.FromSeconds(1));

        (await clock.WaitForTimerAsync(TimeSpan.FromSeconds(7))).Should().Be(TimeSpan.FromSeconds(7));
        clock.WaitForTimerAsync(TimeSpan.FromSeconds(1)).IsCompleted.Should().BeFalse("that timer already fired");
        clock.WaitForTimerAsync(TimeSpan.FromSeconds(9)).IsCompleted.Should().BeFalse("that timer was disposed");
        clock.ArmedDueTimes.Should().Equal(TimeSpan.FromSeconds(7), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(9));
    }

    [Test]
    public async Task WaitForTimerAsync_ThenAdvance_FiresTheTimer_EvenWhenTheWaiterAdvancesAtOnce()
    {
        // The waiter is woken only after the fake timer is armed, so advancing straight away cannot miss it.
        var clock = new TimerAwareFakeTimeProvider();
        Task<TimeSpan> waiting = clock.WaitForTimerAsync(TimeSpan.FromSeconds(5));
        Task advanced = waiting.ContinueWith(_ => clock.Advance(TimeSpan.FromSeconds(5)), TaskScheduler.Default);

        Task delay = Task.Run(() => Task.Delay(TimeSpan.FromSeconds(5), clock));

        await advanced;
        await delay.WaitAsync(TimeSpan.FromSeconds(30));
        delay.IsCompletedSuccessfully.Should().BeTrue();
    }

    [Test]
    public void IsAFakeTimeProvider_SoOneFakeClockServesEveryTest() =>
        new TimerAwareFakeTimeProvider().Should().BeAssignableTo<Microsoft.Extensions.Time.Testing.FakeTimeProvider>();

    [Test]
    public void Advance_Negative_IsRefused() =>
        new TimerAwareFakeTimeProvider().Invoking(c => c.Advance(TimeSpan.FromTicks(-1))).Should().Throw<ArgumentOutOfRangeException>();
}
