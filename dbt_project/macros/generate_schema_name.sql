{#- Use the folder's schema name as-is (staging, intermediate, marts,
    reference) so analysts query marts.quarterly_indicators, not
    main_marts.quarterly_indicators. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
