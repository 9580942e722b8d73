namespace CellPainting.TestSupport;

/// <summary>Bit-level comparison of two float arrays of one length, for tests against an oracle.</summary>
public static class FloatComparison
{
    /// <summary>How many elements differ in their bits (so -0 vs +0 and NaN payloads count).</summary>
    public static int Mismatches(float[] ours, float[] theirs)
    {
        int count = 0;
        for (int i = 0; i < ours.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(ours[i]) != BitConverter.SingleToInt32Bits(theirs[i]))
            {
                count++;
            }
        }

        return count;
    }

    public static float MaxDifference(float[] ours, float[] theirs)
    {
        float max = 0f;
        for (int i = 0; i < ours.Length; i++)
        {
            max = Math.Max(max, Math.Abs(ours[i] - theirs[i]));
        }

        return max;
    }

    /// <summary>Mismatch count, largest difference and the first mismatching element, for an assertion message.</summary>
    public static string Describe(float[] ours, float[] theirs)
    {
        int first = Enumerable.Range(0, ours.Length).FirstOrDefault(i => BitConverter.SingleToInt32Bits(ours[i]) != BitConverter.SingleToInt32Bits(theirs[i]), -1);
        string example = first < 0 ? "none" : $"first at flat index {first}: ours {ours[first]:R}, theirs {theirs[first]:R}";
        return $"{Mismatches(ours, theirs)} of {ours.Length} values differ in bits, max |difference| {MaxDifference(ours, theirs):G3}; {example}";
    }
}
