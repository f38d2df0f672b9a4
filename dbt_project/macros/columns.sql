{#- SQL: a select list written once from a list of column names: each column
    through `template` ({c} = the column name), comma-separated, one per line
    at the select list's indent. The list itself lives in a macro
    (cohort_version_attributes, cohort_curve_columns, ...), so a column is
    added in one place. -#}
{% macro column_list(columns, template='{c}', indent=8) -%}
    {%- set items = [] -%}
    {%- for column in columns -%}
        {%- do items.append(template.replace('{c}', column)) -%}
    {%- endfor -%}
    {{- items | join(',\n' ~ (' ' * indent)) -}}
{%- endmacro %}
