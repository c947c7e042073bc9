// A PostGraphile plugin adding a "count" aggregate to @graphile/pg-aggregates (0.1), through
// its documented extension point, build.pgAggregateSpecs: count(column), the rows of a group
// where the column is not null. Out of the box a group can only be counted with
// distinctCount { id }, a count(distinct id) that sorts every group's ids; count { id } is
// the plain count anyone would write in SQL, and count { fineAmount } the number of fines.
//
// Loaded with --append-plugins @graphile/pg-aggregates,<this file>.
const BIGINT_OID = "20";

module.exports = (builder) => {
  builder.hook("build", (build) => {
    const { pgSql: sql } = build;
    build.pgAggregateSpecs = [
      ...build.pgAggregateSpecs,
      {
        id: "count",
        humanLabel: "count",
        HumanLabel: "Count",
        isSuitableType: () => true,
        sqlAggregateWrap: (frag) => sql.fragment`count(${frag})`,
        isNonNull: true,
        // count() is a bigint whatever it counts.
        pgTypeAndModifierModifier: () => [
          build.pgIntrospectionResultsByKind.type.find((t) => t.id === BIGINT_OID),
          null,
        ],
      },
    ];
    return build;
  });
};
