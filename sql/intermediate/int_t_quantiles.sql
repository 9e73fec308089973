-- Two-sided 95% Student-t critical values t(0.975, df) for the confidence intervals of small samples.
-- grain: one row per integer df 1–30; key: df
-- Readers look up floor(df) (conservative for a fractional Welch–Satterthwaite df); for df > 30 they use
-- the Cornish–Fisher expansion t ≈ z + g1/df + g2/df² + g3/df³ with z = 1.959964, g1 = 2.372271,
-- g2 = 2.822499, g3 = 2.555850 (|error| < 1e-4 for df ≥ 30; at df = 30 it gives 2.04227 = the table).
-- window: none (constants).
with quantiles (df, t_975) as (
  values
    (1, 12.7062), (2, 4.3027), (3, 3.1824), (4, 2.7764), (5, 2.5706),
    (6, 2.4469), (7, 2.3646), (8, 2.3060), (9, 2.2622), (10, 2.2281),
    (11, 2.2010), (12, 2.1788), (13, 2.1604), (14, 2.1448), (15, 2.1314),
    (16, 2.1199), (17, 2.1098), (18, 2.1009), (19, 2.0930), (20, 2.0860),
    (21, 2.0796), (22, 2.0739), (23, 2.0687), (24, 2.0639), (25, 2.0595),
    (26, 2.0555), (27, 2.0518), (28, 2.0484), (29, 2.0452), (30, 2.0423)
),

final as (
  select cast(df as integer) as df, cast(t_975 as double) as t_975 from quantiles
)

select * from final
