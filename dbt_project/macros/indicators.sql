{#- The indicator catalogue, read from the seeds (seeds/indicators.csv,
    seeds/indicator_populations.csv) when the model runs: the seed is the one
    place an indicator is written down, and the models below generate one
    count, one numerator and one denominator per row from it. At parse time
    (and for a linter without a built warehouse) the catalogue is empty. -#}

{#- Jinja: rows of a seed as a list of dicts of the given columns. -#}
{% macro seed_rows(seed_name, columns) %}
    {%- if not execute -%}
        {{ return([]) }}
    {%- endif -%}
    {#- the seed's relation from the graph; a unit test's context has no
        graph, and seeds live in schema reference (dbt_project.yml) -#}
    {%- set node = (graph.get('nodes') or {}).get('seed.werkmonitor.' ~ seed_name) -%}
    {%- if node -%}
        {%- set relation = adapter.get_relation(
            database=node.database, schema=node.schema, identifier=node.alias
        ) -%}
    {%- else -%}
        {%- set relation = adapter.get_relation(
            database=target.database, schema='reference', identifier=seed_name
        ) -%}
    {%- endif -%}
    {%- if relation is none -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set result = run_query(
        'select ' ~ (columns | join(', ')) ~ ' from ' ~ relation ~ ' order by sort_order'
    ) -%}
    {%- set rows = [] -%}
    {%- for row in result.rows -%}
        {%- set item = {} -%}
        {%- for column in columns -%}
            {%- do item.update({column: row[loop.index0]}) -%}
        {%- endfor -%}
        {%- do rows.append(item) -%}
    {%- endfor -%}
    {{ return(rows) }}
{% endmacro %}

{#- Jinja: the populations (code, SQL condition over fct_trajectory_quarters). -#}
{% macro indicator_populations() %}
    {{ return(seed_rows('indicator_populations', ['population', 'condition'])) }}
{% endmacro %}

{#- Jinja: the indicators in catalogue order, each with code, kind,
    population, condition (SQL over fct_trajectory_quarters), denominator
    (SQL over the breakdown's counts, none for counts), trajectory_types
    (list; empty = every type and ALL) and applies_when (SQL over the
    breakdown columns, or none). -#}
{% macro indicator_catalogue() %}
    {%- set rows = seed_rows('indicators', [
        'indicator', 'kind', 'population', 'condition', 'denominator', 'trajectory_types',
        'applies_when',
    ]) -%}
    {%- set catalogue = [] -%}
    {%- for row in rows -%}
        {%- do catalogue.append({
            'code': row.indicator,
            'kind': row.kind,
            'population': row.population,
            'condition': row.condition,
            'denominator': row.denominator or none,
            'trajectory_types': (row.trajectory_types or '').split(),
            'applies_when': row.applies_when or none,
        }) -%}
    {%- endfor -%}
    {{ return(catalogue) }}
{% endmacro %}

{#- Jinja: the count columns every breakdown carries: one per population
    (population_<code>) and one per indicator numerator (<code>). -#}
{% macro indicator_count_columns() %}
    {%- set columns = [] -%}
    {%- for population in indicator_populations() -%}
        {%- do columns.append('population_' ~ population.population) -%}
    {%- endfor -%}
    {%- for indicator in indicator_catalogue() -%}
        {%- do columns.append(indicator.code) -%}
    {%- endfor -%}
    {{ return(columns) }}
{% endmacro %}

{#- SQL: the counts of one group of fct_trajectory_quarters rows: every
    population's rows, and per indicator the population's rows that meet
    its condition; each followed by a comma (an empty catalogue, at parse
    time, leaves valid SQL). -#}
{% macro indicator_counts() %}
    {%- set conditions = {} -%}
    {%- for population in indicator_populations() %}
        {%- do conditions.update({population.population: population.condition}) %}
        count(*) filter (where {{ population.condition }}) as population_{{ population.population }},
    {%- endfor %}
    {%- for indicator in indicator_catalogue() %}
        count(*) filter (
            where ({{ conditions[indicator.population] }}) and ({{ indicator.condition }})
        ) as {{ indicator.code }},
    {%- endfor %}
{%- endmacro %}

{#- SQL: the predicate under which a breakdown row carries an indicator:
    its population is non-empty there, the trajectory type is one it applies
    to and the breakdown meets applies_when. -#}
{% macro indicator_applies(indicator) -%}
    population_{{ indicator.population }} > 0
    {%- if indicator.trajectory_types %}
        and trajectory_type in ('{{ indicator.trajectory_types | join("', '") }}')
    {%- endif %}
    {%- if indicator.applies_when %}
        and ({{ indicator.applies_when }})
    {%- endif %}
{%- endmacro %}

{#- Jinja: the breakdown columns of an indicator row, in the mart's order:
    the level and the six columns a breakdown fixes ('ALL' = not broken
    down; region and organisation null above their level). -#}
{% macro indicator_breakdown_columns() %}
    {{ return([
        'level', 'region_code', 'organisation_code', 'trajectory_type', 'financing', 'ips_scheme',
        'ips_phase',
    ]) }}
{% endmacro %}
