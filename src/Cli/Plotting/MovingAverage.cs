namespace Fleet.Cli.Plotting;

/// <summary>A centred moving average over a number of points, so the smoothed line does not lag the raw one.</summary>
internal static class MovingAverage
{
    public static double[] Centred(IReadOnlyList<double> values, int windowPoints)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfLessThan(windowPoints, 1);
        var result = new double[values.Count];
        var before = (windowPoints - 1) / 2;
        var after = windowPoints - 1 - before;

        // A running sum: O(n) for a series of 360,000 frames and a window of any size.
        double sum = 0;
        var low = 0;
        var high = -1;
        for (var i = 0; i < values.Count; i++)
        {
            var wantLow = Math.Max(0, i - before);
            var wantHigh = Math.Min(values.Count - 1, i + after);
            while (high < wantHigh)
            {
                sum += values[++high];
            }

            while (low < wantLow)
            {
                sum -= values[low++];
            }

            result[i] = sum / (high - low + 1);
        }

        return result;
    }
}
