namespace StreamingCodeGeneration.RepoTransform.Tests.History;

[Parallelizable(ParallelScope.All)]
public sealed class RunHistoryTests
{
    [TestCase("postgres://user:pw@db.example:5432/runs", true)]
    [TestCase("postgresql://db.example/runs?sslmode=require", true)]
    [TestCase("POSTGRES://db/runs", true)]
    [TestCase("Host=db.example;Database=runs;Username=u", true)]
    [TestCase("Server=db.example; Port=5433; Database=runs", true)]
    [TestCase("Database=runs;Host=db", true)]
    [TestCase("history.db", false)]
    [TestCase("/var/lib/scg/history.db", false)]
    [TestCase("C:\\data\\Host=odd\\history.db", false)]
    [TestCase("./Host=x.db", false)]
    public void IsPostgres_Value_TellsPostgreSqlFromASqliteFile(string value, bool expected) =>
        RunHistory.IsPostgres(value).Should().Be(expected);

    [Test]
    public void ToNpgsql_Url_BecomesAKeyValueConnectionString()
    {
        string connection = PostgresConnectionString.ToNpgsql("postgres://me%40corp:p%3Ass@db.example:6543/runs?sslmode=disable");

        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connection);
        builder.Host.Should().Be("db.example");
        builder.Port.Should().Be(6543);
        builder.Username.Should().Be("me@corp");
        builder.Password.Should().Be("p:ss");
        builder.Database.Should().Be("runs");
        builder.SslMode.Should().Be(Npgsql.SslMode.Disable);
    }

    [Test]
    public void ToNpgsql_UnknownKey_IsAHistoryExceptionWithoutThePassword()
    {
        Action convert = () => PostgresConnectionString.ToNpgsql("Host=db;Password=hunter2;Flavour=mint");

        convert.Should().Throw<HistoryException>().Which.Message.Should().NotContain("hunter2");
    }

    [Test]
    public void Open_NoLocationWithAHostsFileName_UsesThatFileBesideScgTransformsDefault()
    {
        string folder = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify), "StreamingCodeGenerator");

        RunHistory.Open(null, "other-history.db").Should().BeOfType<SqliteRunHistory>().Which.FilePath.Should().Be(Path.Combine(folder, "other-history.db"));
        RunHistory.Open("  ", "other-history.db").Should().BeOfType<SqliteRunHistory>().Which.FilePath.Should().Be(Path.Combine(folder, "other-history.db"));
        RunHistory.DefaultSqlitePath.Should().Be(Path.Combine(folder, RunHistory.DefaultFileName));
    }

    [TestCase("")]
    [TestCase("../history.db")]
    [TestCase("sub/history.db")]
    public void DataFolderPath_NotABareFileName_IsRefused(string fileName)
    {
        Action path = () => RunHistory.DataFolderPath(fileName);

        path.Should().Throw<ArgumentException>();
    }
}
