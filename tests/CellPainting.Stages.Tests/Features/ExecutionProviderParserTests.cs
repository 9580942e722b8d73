using CellPainting.Stages.Features;

namespace CellPainting.Stages.Tests.Features;

public sealed class ExecutionProviderParserTests
{
    [TestCase("auto", ExecutionProvider.Auto)]
    [TestCase(" CPU ", ExecutionProvider.Cpu)]
    [TestCase("cuda", ExecutionProvider.Cuda)]
    public void Config_values_name_the_providers(string value, ExecutionProvider expected)
    {
        Assert.That(ExecutionProviderParser.Parse(value), Is.EqualTo(expected));
    }

    [Test]
    public void An_unknown_provider_is_rejected_with_the_valid_values()
    {
        Assert.That(() => ExecutionProviderParser.Parse("gpu"), Throws.ArgumentException.With.Message.Contains("auto, cpu or cuda"));
    }

    [Test]
    public void Every_provider_round_trips_through_its_config_value()
    {
        foreach (var provider in Enum.GetValues<ExecutionProvider>())
        {
            Assert.That(ExecutionProviderParser.Parse(ExecutionProviderParser.ToConfigValue(provider)), Is.EqualTo(provider));
        }
    }
}
