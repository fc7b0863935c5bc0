namespace Fleet.Grains.Identification;

/// <summary>The Pearson correlation both identification checks use.</summary>
internal static class Pearson
{
    /// <summary>The correlation of two equally long series; 0 when either does not vary (no evidence either way) or there are fewer than 3 pairs.</summary>
    public static double Correlation(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        var n = x.Count;
        if (n != y.Count)
        {
            throw new ArgumentException($"{n} values against {y.Count}.", nameof(y));
        }

        if (n < 3)
        {
            return 0;
        }

        var meanX = x.Average();
        var meanY = y.Average();
        double covariance = 0, varianceX = 0, varianceY = 0;
        for (var k = 0; k < n; k++)
        {
            var dx = x[k] - meanX;
            var dy = y[k] - meanY;
            covariance += dx * dy;
            varianceX += dx * dx;
            varianceY += dy * dy;
        }

        // A series that does not move (a constant draw, a flat activity) says nothing; rounding
        // noise on a constant must not produce a correlation either, hence the relative floor.
        if (varianceX <= 1e-12 * Math.Max(1, meanX * meanX) * n || varianceY <= 1e-12 * Math.Max(1, meanY * meanY) * n)
        {
            return 0;
        }

        return covariance / Math.Sqrt(varianceX * varianceY);
    }
}
