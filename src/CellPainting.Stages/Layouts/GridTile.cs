namespace CellPainting.Stages.Layouts;

/// <summary>A tile of a site: its id (row-major from 0 among the kept tiles), top-left row and col, and the fraction inside the image.</summary>
public readonly record struct GridTile(int Id, int Row, int Col, double InsideFraction);
