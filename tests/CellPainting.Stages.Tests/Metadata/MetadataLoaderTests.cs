using CellPainting.Stages.Metadata;
using CellPainting.Stages.Tests.Sample;

namespace CellPainting.Stages.Tests.Metadata;

public sealed class MetadataLoaderTests
{
    private static WellMetadata Record(string barcode, string well)
    {
        Assert.That(CpJump1Sample.Cache.TryGet(new WellKey(barcode, well), out var record), Is.True, $"{barcode}/{well} missing");
        return record!;
    }

    [Test]
    public void TheRealMetadataOfAll51PlatesLoadsWithoutProblems()
    {
        var result = MetadataLoader.Load(MetadataInputs.Discover(CpJump1Sample.MetadataDirectory, CpJump1Sample.Batch), CpJump1Sample.Barcodes);

        Assert.That(result.Problems, Is.Empty);
        Assert.That(result.Cache.Records, Has.Count.EqualTo(51 * 384));
        Assert.That(result.Cache.Batch, Is.EqualTo(CpJump1Sample.Batch));
    }

    [Test]
    public void DiscoveryPrefersTheCompoundTargetsFile()
    {
        var inputs = MetadataInputs.Discover(CpJump1Sample.MetadataDirectory, CpJump1Sample.Batch);

        Assert.That(Path.GetFileName(inputs.CompoundMetadataPath), Is.EqualTo(MetadataInputs.CompoundTargetsFileName));
        Assert.That(inputs.PlatemapPaths.Select(Path.GetFileName), Is.EqualTo(new[]
        {
            "JUMP-Target-1_compound_platemap.txt", "JUMP-Target-1_crispr_platemap.txt", "JUMP-Target-1_orf_platemap.txt",
        }));
        Assert.That(inputs.Files, Has.Count.EqualTo(7));
    }

    [Test]
    public void BR00116991A01IsGabapentinEnacarbilTargetingCACNB4()
    {
        var record = Record("BR00116991", "A01");

        Assert.That(record.PlateMapName, Is.EqualTo("JUMP-Target-1_compound_platemap"));
        Assert.That(record.Info.PertType, Is.EqualTo(PerturbationType.Compound));
        Assert.That(record.Info.BroadSample, Is.EqualTo("BRD-A86665761-001-01-1"));
        Assert.That(record.Info.PertIname, Is.EqualTo("gabapentin-enacarbil"));
        Assert.That(record.Info.TargetList, Is.EqualTo("CACNB4"));
        Assert.That(record.Info.PubchemCid, Is.EqualTo("9883933"));
        Assert.That(record.Info.Smiles, Is.EqualTo("CC(C)C(=O)OC(C)OC(=O)NCC1(CC(O)=O)CCCCC1"));
        Assert.That(PerturbationText.Generate(record.Info, TextLevel.Full), Is.EqualTo("Chemical perturbation: gabapentin-enacarbil. Target: CACNB4. SMILES: CC(C)C(=O)OC(C)OC(=O)NCC1(CC(O)=O)CCCCC1."));
    }

    [Test]
    public void BR00116991A02IsADmsoNegativeControl()
    {
        var record = Record("BR00116991", "A02");

        Assert.That(record.Info, Is.EqualTo(new PerturbationInfo { PertType = PerturbationType.Negcon }));
        Assert.That(PerturbationText.Generate(record.Info, TextLevel.Full), Is.EqualTo("Negative control (DMSO)."));
    }

    [Test]
    public void BR00117000A01IsACrisprKnockoutOfHIF1A()
    {
        var info = Record("BR00117000", "A01").Info;

        Assert.That(info.PertType, Is.EqualTo(PerturbationType.Crispr));
        Assert.That(info.Gene, Is.EqualTo("HIF1A"));
        Assert.That(info.TargetSequence, Is.EqualTo("TATGTGTGAATTACGTTGTG"));
        Assert.That(PerturbationText.Generate(info, TextLevel.Full), Is.EqualTo("CRISPR knockout of HIF1A."));
    }

    [Test]
    public void BR00117006A01IsAnOrfOfKCNN1()
    {
        var info = Record("BR00117006", "A01").Info;

        Assert.That(info.PertType, Is.EqualTo(PerturbationType.Orf));
        Assert.That(info.Gene, Is.EqualTo("KCNN1"));
        Assert.That(info.BroadSample, Is.EqualTo("ccsbBroad304_00900"));
    }

    [Test]
    public void CrisprNegativeControlGuidesAreCrisprWellsWithAnEmptyGene()
    {
        var guide = CpJump1Sample.Cache.Records.First(r => r.Info.NegconControlType.StartsWith("NO_SITE", StringComparison.Ordinal));

        Assert.That(guide.Info.PertType, Is.EqualTo(PerturbationType.Crispr));
        Assert.That(PerturbationText.Generate(guide.Info, TextLevel.Full), Is.EqualTo("CRISPR knockout of ."));
    }

    [Test]
    public void EveryPlateHasAll384WellsInOrder()
    {
        foreach (var plate in CpJump1Sample.Cache.Records.GroupBy(r => r.Key.Barcode))
        {
            Assert.That(plate.Select(r => r.Key.Well), Is.EqualTo(WellPosition.All), plate.Key);
        }

        Assert.That(CpJump1Sample.Cache.Records.Select(r => r.Key.Barcode).Distinct(), Is.EqualTo(CpJump1Sample.Barcodes.Order(StringComparer.Ordinal)));
    }

    [Test]
    public void TypeCountsOfEveryPlateMatchItsPlatemap()
    {
        var plateMapOf = CpJump1Sample.ReadRows(Path.Combine(CpJump1Sample.MetadataDirectory, "platemaps", CpJump1Sample.Batch, "barcode_platemap.csv"), ',')
            .ToDictionary(r => r["Assay_Plate_Barcode"], r => r["Plate_Map_Name"]);
        foreach (var plate in CpJump1Sample.Cache.Records.GroupBy(r => r.Key.Barcode))
        {
            var name = plateMapOf[plate.Key];
            var wells = CpJump1Sample.ReadRows(Path.Combine(CpJump1Sample.PlatemapDirectory, name + ".txt"), '\t');
            var modality = name.Split('_')[1] switch { "compound" => PerturbationType.Compound, "crispr" => PerturbationType.Crispr, _ => PerturbationType.Orf };
            var expected = new Dictionary<PerturbationType, int>
            {
                [PerturbationType.Negcon] = wells.Count(w => w["broad_sample"].Length == 0),
                [modality] = wells.Count(w => w["broad_sample"].Length > 0),
            };

            Assert.That(plate.GroupBy(r => r.Info.PertType).ToDictionary(g => g.Key, g => g.Count()), Is.EqualTo(expected), plate.Key);
        }
    }

    [Test]
    public void ACompoundPlateHas64DmsoWellsAndGeneticPlatesHaveFourEmptyWells()
    {
        int Negcons(string barcode) => CpJump1Sample.Cache.Records.Count(r => r.Key.Barcode == barcode && r.Info.PertType == PerturbationType.Negcon);

        Assert.That(Negcons("BR00116991"), Is.EqualTo(64));
        Assert.That(Negcons("BR00117000"), Is.EqualTo(4));
        Assert.That(Negcons("BR00117006"), Is.EqualTo(4));
    }

    [Test]
    public void TheCurrentJumpTargetCompoundFileWithNaCellsGivesTheSameWellsAsTheS3Copy()
    {
        var inputs = MetadataInputs.Discover(CpJump1Sample.MetadataDirectory, CpJump1Sample.Batch) with { CompoundMetadataPath = CpJump1Sample.JumpTargetCompoundPath };

        var result = MetadataLoader.Load(inputs, ["BR00116991"]);

        Assert.That(result.Problems, Is.Empty);
        var s3 = CpJump1Sample.Cache.Records.Where(r => r.Key.Barcode == "BR00116991").ToList();
        Assert.That(result.Cache.Records.Select(r => (r.Key, r.Info.PertType, r.Info.BroadSample, r.Info.PertIname)), Is.EqualTo(s3.Select(r => (r.Key, r.Info.PertType, r.Info.BroadSample, r.Info.PertIname))));
        // No `target` column in this dialect, so the pipe list is the target text.
        var a01 = result.Cache.Records.Single(r => r.Key.Well == "A01").Info;
        Assert.That(a01.TargetList.Split('|'), Does.Contain("CACNB4"));
        // BMS-536924 has no PubChem id: `NA` here, an empty cell on S3; both read as empty.
        var bms = result.Cache.Records.First(r => r.Info.PertIname == "BMS-536924");
        Assert.That(bms.Info.PubchemCid, Is.EqualTo(""));
        Assert.That(CpJump1Sample.Cache.Lookup(bms.Key).PubchemCid, Is.EqualTo(""));
    }

    [Test]
    public void ThePlainCompoundFileIsUsedWhenTheTargetsFileIsAbsentAndItsGeneColumnBecomesTheTarget()
    {
        using var tree = new MetadataTree();
        var targets = tree.ExternalPath(MetadataInputs.CompoundTargetsFileName);
        // The S3 plain file is the targets file without target_list and with `target` renamed `gene` (SOURCES.md).
        var plain = File.ReadAllLines(targets).Select(line =>
        {
            var cells = line.Split('\t').ToList();
            cells.RemoveAt(5);
            return string.Join('\t', cells);
        }).Select((line, i) => i == 0 ? line.Replace("\ttarget\t", "\tgene\t", StringComparison.Ordinal) : line);
        File.WriteAllLines(tree.ExternalPath(MetadataInputs.CompoundFileName), plain);
        File.Delete(targets);

        var result = tree.Load("BR00116991");

        Assert.That(result.Problems, Is.Empty);
        Assert.That(result.Cache.Lookup(new WellKey("BR00116991", "A01")).TargetList, Is.EqualTo("CACNB4"));
    }
}
