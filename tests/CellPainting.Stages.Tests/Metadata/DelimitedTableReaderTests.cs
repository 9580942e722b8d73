using CellPainting.Stages.Metadata;

namespace CellPainting.Stages.Tests.Metadata;

public sealed class DelimitedTableReaderTests
{
    private static DelimitedTable Parse(string text, char delimiter, List<MetadataProblem> problems) =>
        DelimitedTableReader.Parse(text, delimiter, "t.csv", problems);

    [Test]
    public void QuotedFieldsMayHoldDelimitersNewlinesAndDoubledQuotes()
    {
        var problems = new List<MetadataProblem>();
        var table = Parse("a,b\n\"x,y\",\"say \"\"hi\"\"\nthere\"\nplain,last\n", ',', problems);

        Assert.That(problems, Is.Empty);
        Assert.That(table.Header, Is.EqualTo(new[] { "a", "b" }));
        Assert.That(table.Records[0].Fields, Is.EqualTo(new[] { "x,y", "say \"hi\"\nthere" }));
        Assert.That(table.Records[1].Fields, Is.EqualTo(new[] { "plain", "last" }));
    }

    [Test]
    public void RecordsKnowTheLineTheyStartOnPastMultilineFieldsAndBlankLines()
    {
        var problems = new List<MetadataProblem>();
        var table = Parse("\na\tb\n1\t\"two\nlines\"\n\n3\t4", '\t', problems);

        Assert.That(table.HeaderLine, Is.EqualTo(2));
        Assert.That(table.Records.Select(r => r.Line), Is.EqualTo(new[] { 3, 6 }));
    }

    [Test]
    public void CrLfAndLfEndRecordsAlike()
    {
        var problems = new List<MetadataProblem>();
        var table = Parse("a,b\r\n1,2\r\n3,4", ',', problems);

        Assert.That(table.Records.Select(r => r.Fields), Is.EqualTo(new[] { new[] { "1", "2" }, new[] { "3", "4" } }));
        Assert.That(table.Records.Select(r => r.Line), Is.EqualTo(new[] { 2, 3 }));
    }

    [Test]
    public void AnUnquotedNaReadsAsEmptyButAQuotedNaStaysText()
    {
        var problems = new List<MetadataProblem>();
        var table = Parse("a,b,c,d\nNA,\"NA\",NAMPT,\"NAMPT\"\n", ',', problems);

        Assert.That(table.Records[0].Fields, Is.EqualTo(new[] { "", "NA", "NAMPT", "NAMPT" }));
    }

    [Test]
    public void EmptyCellsStayEmptyStringsAndKeepTheirColumn()
    {
        var problems = new List<MetadataProblem>();
        var table = Parse("well_position\tbroad_sample\tsolvent\nA02\t\tDMSO\n", '\t', problems);

        Assert.That(table.Records[0][table.IndexOf("broad_sample")], Is.EqualTo(""));
        Assert.That(table.Records[0][table.IndexOf("solvent")], Is.EqualTo("DMSO"));
    }

    [Test]
    public void AFileEndingInsideAShortRecordIsAnErrorAtThatRecordsLine()
    {
        var problems = new List<MetadataProblem>();
        Parse("a\tb\tc\n1\t2\t3\n4\t5", '\t', problems);

        Assert.That(problems.Select(problem => problem.ToString()), Is.EqualTo(new[] { "t.csv:3: error: the file ends inside this record (2 of 3 fields, no line break after it): it looks truncated" }));
    }

    [Test]
    public void ShortRecordsReadAsEmptyAndAreReportedWithTheirLine()
    {
        var problems = new List<MetadataProblem>();
        var table = Parse("a,b,c\n1\n", ',', problems);

        Assert.That(table.Records[0][2], Is.EqualTo(""));
        Assert.That(problems.Single().Line, Is.EqualTo(2));
        Assert.That(problems.Single().IsError, Is.False);
        Assert.That(problems.Single().Message, Does.Contain("1 fields but the header has 3"));
    }

    [Test]
    public void AnUnclosedQuoteIsAnErrorAtTheLineWhereTheRecordStarts()
    {
        var problems = new List<MetadataProblem>();
        Parse("a,b\n1,2\n3,\"open\n", ',', problems);

        Assert.That(problems.Single().IsError, Is.True);
        Assert.That(problems.Single().File, Is.EqualTo("t.csv"));
        Assert.That(problems.Single().Line, Is.EqualTo(3));
    }

    [Test]
    public void AMissingColumnIsAnErrorNamingTheHeaderLineAndTheColumnsFound()
    {
        var problems = new List<MetadataProblem>();
        var table = Parse("well,broad_sample\n", ',', problems);

        Assert.That(table.RequireColumns(problems, "well_position", "broad_sample"), Is.False);
        Assert.That(problems.Single().ToString(), Is.EqualTo("t.csv:1: error: missing required column 'well_position' (found: well, broad_sample)"));
    }
}
